rm -f bot/storage/migrations/versions/*.py /tmp/gen.db; /work/venv/bin/python -c "
from bot.storage.migrate import alembic_config
from alembic import command
command.revision(alembic_config('sqlite:////tmp/gen.db'), message='initial schema', autogenerate=True, rev_id='0001')
" >/dev/null && sed -i 's/^    # ### .*$//' bot/storage/migrations/versions/0001_initial_schema.py && /work/venv/bin/ruff format -q bot/storage/migrations/versions/ && /work/venv/bin/ruff check --fix -q bot/storage/migrations/versions/
