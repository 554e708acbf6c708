//! SQL functions both backends know, for queries written once for SQLite and PostgreSQL.

diesel::define_sql_function! {
    /// Lower case, for comparisons that ignore it: PostgreSQL's `LIKE` and `=` do not.
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}
