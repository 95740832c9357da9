"""A cluster's words follow its kind: Cụm or Khối, in both locales."""

from __future__ import annotations

import pytest

from bot.domain.terms import CLUSTER_KINDS, ClusterTerms, cluster_terms, cluster_title


def test_a_cluster_says_cum_and_a_block_says_khoi() -> None:
    assert cluster_terms("cum", "vi") == ClusterTerms(
        "Cụm", "Cụm thi đua", "Cụm trưởng", "Cụm phó", "Toàn cụm"
    )
    assert cluster_terms("khoi", "vi") == ClusterTerms(
        "Khối", "Khối thi đua", "Khối trưởng", "Khối phó", "Toàn khối"
    )


@pytest.mark.parametrize("kind", [None, "", "unknown"])
def test_an_unknown_kind_is_a_cluster(kind: str | None) -> None:
    assert cluster_terms(kind, "vi").cluster == "Cụm"


def test_the_english_words_say_cluster_or_block() -> None:
    assert cluster_terms("cum", "en").cluster == "Cluster"
    block = cluster_terms("khoi", "en")
    assert (block.cluster, block.emulation_cluster) == ("Block", "Emulation block")
    assert "block" in block.chair.lower() and "block" in block.vice_chair.lower()


def test_mid_sentence_words_start_with_a_small_letter() -> None:
    words = cluster_terms("khoi", "vi").mid_sentence()
    assert (words.cluster, words.chair, words.vice_chair) == ("khối", "khối trưởng", "khối phó")


def test_the_kinds_are_the_set_up_files_words() -> None:
    assert CLUSTER_KINDS == ("cum", "khoi")


@pytest.mark.parametrize(
    ("name", "kind", "title"),
    [
        ("Cụm thi đua số 2 – tỉnh Quảng Ngãi", "cum", "Cụm thi đua số 2 – tỉnh Quảng Ngãi"),
        ("Khối các sở, ngành kinh tế", "khoi", "Khối các sở, ngành kinh tế"),
        ("cụm các phường trung tâm", "cum", "cụm các phường trung tâm"),
        ("Các xã phía Tây", "cum", "Cụm thi đua – Các xã phía Tây"),
        ("Các cơ quan Đảng", "khoi", "Khối thi đua – Các cơ quan Đảng"),
    ],
)
def test_a_cluster_title_names_the_cluster_once(name: str, kind: str, title: str) -> None:
    assert cluster_title(name, kind, "vi") == title
