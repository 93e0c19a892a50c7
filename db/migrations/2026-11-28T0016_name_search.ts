// The ledger's search by a name or a registration number fragment, indexed (issue 8, speed). A
// substring search (`ilike '%q%'`) over a million registrations cannot use a b-tree, and pg_trgm
// does not help here: it builds trigrams of "words" and, in a database created without a locale
// (the embedded one, --no-locale), Chinese characters are not word characters (show_trgm('张小明')
// is empty); most searched fragments are two characters anyway, too short for a trigram. So: the
// characters and character pairs (unigrams and bigrams, lower-cased) of a value, in a GIN index.
// A value contains q only if it holds every pair of q (or q itself when q is one character), so
// `search_grams(col) @> search_query_grams(q)` finds the candidates by the index and the `ilike`
// beside it keeps the exact rule. Decision: docs/decisions/016-ledger-name-search.md.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function search_grams(value text) returns text[] language sql immutable strict parallel safe as $$
      select array(select distinct g from (
        select substr(lower(value), i, 1) as g from generate_series(1, char_length(value)) i
        union all
        select substr(lower(value), i, 2) from generate_series(1, char_length(value) - 1) i) s)
    $$`.execute(db)
  await sql`
    create function search_query_grams(value text) returns text[] language sql immutable strict parallel safe as $$
      select case when char_length(value) < 2 then array[lower(value)]
                  else array(select distinct substr(lower(value), i, 2) from generate_series(1, char_length(value) - 1) i) end
    $$`.execute(db)
  await sql`create index parties_name_grams on parties using gin (search_grams(name))`.execute(db)
  await sql`create index applications_number_grams on applications using gin (search_grams(registration_number))`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists applications_number_grams`.execute(db)
  await sql`drop index if exists parties_name_grams`.execute(db)
  await sql`drop function if exists search_query_grams(text)`.execute(db)
  await sql`drop function if exists search_grams(text)`.execute(db)
}
