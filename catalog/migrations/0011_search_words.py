"""The search vocabulary: every word of letters (three or more) in the products' search text, with a trigram
index. A typo is corrected against these few hundred words instead of against every product name, so its cost
does not grow with the catalogue, and the trigram index of the names, which nothing reads any more, goes.
PostgreSQL only (SQLite searches by stems and forgives no typos)."""

from django.db import migrations

FORWARD = [
    "CREATE TABLE IF NOT EXISTS catalog_searchword (word text PRIMARY KEY)",
    "CREATE INDEX IF NOT EXISTS searchword_trgm ON catalog_searchword USING gin (word gin_trgm_ops)",
    # The same words as catalog.search.vocabulary_words: search_text is already normalised (lower case, е for ё).
    """INSERT INTO catalog_searchword (word)
    SELECT DISTINCT w FROM catalog_product, regexp_split_to_table(search_text, ' ') AS w
    WHERE w ~ '^[a-zа-я]{3,}$' ON CONFLICT DO NOTHING""",
    "DROP INDEX IF EXISTS product_name_trgm",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS product_name_trgm ON catalog_product USING gin (name gin_trgm_ops)",
    "DROP TABLE IF EXISTS catalog_searchword",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0010_image_thumbnail_stored")]

    operations = [migrations.RunPython(forward, backward)]

    def __str__(self):
        return self.name
