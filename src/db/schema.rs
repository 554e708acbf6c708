// Mirrors `migrations/`; keep it in step with them (the shape `diesel print-schema` prints).

diesel::table! {
    pages (lang, slug) {
        lang -> Text,
        slug -> Text,
        translation_key -> Text,
        title -> Text,
        summary -> Text,
        updated -> Text,
        body_markdown -> Text,
        body_html -> Text,
        toc_json -> Text,
        source_path -> Text,
    }
}

diesel::table! {
    people (id) {
        id -> Text,
        name -> Text,
        email -> Text,
        photo -> Text,
        languages -> Text,
    }
}

diesel::table! {
    person_texts (person_id, lang) {
        person_id -> Text,
        lang -> Text,
        role -> Text,
        pitch -> Text,
    }
}

diesel::table! {
    profile_aliases (path) {
        path -> Text,
        lang -> Text,
        slug -> Text,
    }
}

diesel::table! {
    profile_related (lang, slug, position) {
        lang -> Text,
        slug -> Text,
        position -> Integer,
        related_slug -> Text,
    }
}

diesel::table! {
    profile_skills (lang, slug, kind, position) {
        lang -> Text,
        slug -> Text,
        kind -> Text,
        position -> Integer,
        name -> Text,
    }
}

diesel::table! {
    profiles (lang, slug) {
        lang -> Text,
        slug -> Text,
        translation_key -> Text,
        title -> Text,
        summary -> Text,
        category -> Text,
        contact_id -> Nullable<Text>,
        updated -> Text,
        draft -> Bool,
        body_markdown -> Text,
        body_html -> Text,
        toc_json -> Text,
        source_path -> Text,
    }
}

diesel::table! {
    salaries (lang, slug, position) {
        lang -> Text,
        slug -> Text,
        position -> Integer,
        region -> Text,
        currency -> Text,
        period -> Text,
        min_amount -> BigInt,
        max_amount -> BigInt,
        median_amount -> Nullable<BigInt>,
        source -> Text,
        as_of -> Text,
    }
}

diesel::table! {
    site_settings (id) {
        id -> Integer,
        settings_json -> Text,
    }
}

diesel::joinable!(person_texts -> people (person_id));
diesel::joinable!(profiles -> people (contact_id));

diesel::allow_tables_to_appear_in_same_query!(
    pages,
    people,
    person_texts,
    profile_aliases,
    profile_related,
    profile_skills,
    profiles,
    salaries,
    site_settings,
);
