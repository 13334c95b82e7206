"""``manage.py rotate_encryption_keys``: re-encrypt every encrypted column
(``core.crypto.EncryptedTextField``: counselling notes, screening details, plans…) under the
newest key of ``WELLBEING_KEYS``.

Rotation: set ``WELLBEING_KEYS=new,old`` (newest first) and restart; run this command; then
drop ``old`` from the list. Rows are read raw and rewritten token by token
(``MultiFernet.rotate``), in batches, each batch in one transaction; running it again is
harmless. A token no listed key opens stops the command with its table and id.
"""

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core.crypto import encrypted_fields, rotate

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt every encrypted column under the newest WELLBEING_KEYS key."

    def handle(self, *args, **options):
        total = 0
        for model, field in encrypted_fields():
            count = self.rotate_column(model._meta.db_table, model._meta.pk.column, field.column)
            self.stdout.write(f"{model._meta.label}.{field.name} {count}")
            total += count
        self.stdout.write(f"rotated {total}")

    def rotate_column(self, table: str, pk: str, column: str) -> int:
        q = connection.ops.quote_name
        last, count = None, 0
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                where = "" if last is None else f"WHERE {q(pk)} > %s"
                cursor.execute(
                    f"SELECT {q(pk)}, {q(column)} FROM {q(table)} {where} "
                    f"ORDER BY {q(pk)} LIMIT {BATCH}",
                    [] if last is None else [last],
                )
                rows = cursor.fetchall()
                for row_pk, token in rows:
                    if not token:
                        continue
                    try:
                        new = rotate(token)
                    except InvalidToken as exc:
                        raise CommandError(f"{table} id={row_pk}: no key opens it") from exc
                    cursor.execute(
                        f"UPDATE {q(table)} SET {q(column)} = %s WHERE {q(pk)} = %s",
                        [new, row_pk],
                    )
                    count += 1
            if len(rows) < BATCH:
                return count
            last = rows[-1][0]
