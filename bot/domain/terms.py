"""The words for a cluster by its kind: Cụm or Khối, Cụm trưởng or Khối trưởng (pure)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from enum import StrEnum

from bot.domain.i18n import gettext_for

__all__ = ["CLUSTER_KINDS", "ClusterKind", "ClusterTerms", "cluster_terms", "cluster_title"]


class ClusterKind(StrEnum):
    """A cluster of geographic units (Cụm thi đua) or a block of agencies (Khối thi đua)."""

    CUM = "cum"
    KHOI = "khoi"


CLUSTER_KINDS = tuple(kind.value for kind in ClusterKind)


@dataclass(frozen=True)
class ClusterTerms:
    """The words every message uses for a cluster and its leaders, capitalised as titles."""

    cluster: str  # Cụm
    emulation_cluster: str  # Cụm thi đua
    chair: str  # Cụm trưởng
    vice_chair: str  # Cụm phó
    whole: str  # Toàn cụm: the cluster's own figure beside its units'

    def mid_sentence(self) -> ClusterTerms:
        """The same words with a small first letter, for the middle of a sentence."""
        return replace(self, **{f.name: _lower_first(getattr(self, f.name)) for f in fields(self)})


def cluster_terms(kind: str | None, locale: str) -> ClusterTerms:
    """The words for a cluster of `kind` (`cum` when unknown) in `locale`."""
    _ = gettext_for(locale)
    if kind == ClusterKind.KHOI:
        return ClusterTerms(
            cluster=_("Khối"),
            emulation_cluster=_("Khối thi đua"),
            chair=_("Khối trưởng"),
            vice_chair=_("Khối phó"),
            whole=_("Toàn khối"),
        )
    return ClusterTerms(
        cluster=_("Cụm"),
        emulation_cluster=_("Cụm thi đua"),
        chair=_("Cụm trưởng"),
        vice_chair=_("Cụm phó"),
        whole=_("Toàn cụm"),
    )


def cluster_title(name: str, kind: str | None, locale: str) -> str:
    """`Cụm thi đua – Các xã phía Tây`; a name that already says Cụm or Khối stands alone."""
    terms = cluster_terms(kind, locale)
    if name.casefold().startswith(("cụm", "khối", terms.cluster.casefold())):
        return name
    return f"{terms.emulation_cluster} – {name}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
