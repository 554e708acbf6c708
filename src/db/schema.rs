// @generated automatically by Diesel CLI.

diesel::table! {
    admin_sessions (id) {
        id -> Text,
        user_id -> BigInt,
        created_at -> BigInt,
        last_seen_at -> BigInt,
    }
}

diesel::table! {
    admin_users (id) {
        id -> BigInt,
        email -> Text,
        password_hash -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    lead_events (id) {
        id -> BigInt,
        lead_id -> BigInt,
        actor -> Text,
        kind -> Text,
        from_value -> Nullable<Text>,
        to_value -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    lead_notes (id) {
        id -> BigInt,
        lead_id -> BigInt,
        author -> Text,
        body -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    leads (id) {
        id -> BigInt,
        submission_id -> Text,
        created_at -> BigInt,
        status -> Text,
        spam_reason -> Nullable<Text>,
        company -> Text,
        contact_name -> Text,
        email -> Text,
        phone -> Nullable<Text>,
        role -> Text,
        headcount -> Integer,
        engagement -> Text,
        work_mode -> Text,
        location -> Nullable<Text>,
        start_date -> Nullable<Text>,
        budget -> Nullable<Text>,
        message -> Text,
        consent_at -> BigInt,
        page_lang -> Text,
        profile_slug -> Nullable<Text>,
        referrer -> Nullable<Text>,
        utm_source -> Nullable<Text>,
        utm_medium -> Nullable<Text>,
        utm_campaign -> Nullable<Text>,
        utm_term -> Nullable<Text>,
        utm_content -> Nullable<Text>,
        contact_person_id -> Nullable<Text>,
        contact_person_name -> Text,
    }
}

diesel::table! {
    login_throttle (key) {
        key -> Text,
        failures -> Integer,
        first_failure_at -> BigInt,
        locked_until -> Nullable<BigInt>,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        lead_id -> BigInt,
        recipient -> Nullable<Text>,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> BigInt,
        locked_until -> Nullable<BigInt>,
        last_error -> Nullable<Text>,
        sent_at -> Nullable<BigInt>,
        created_at -> BigInt,
        claimed_by -> Nullable<Text>,
        kind -> Text,
        webhook_url -> Nullable<Text>,
    }
}

diesel::table! {
    pages (lang, slug) {
        lang -> Text,
        slug -> Text,
        translation_key -> Text,
        title -> Text,
        summary -> Text,
        updated -> Text,
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
        public_email -> Nullable<Text>,
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
    profile_views (day, lang, profile_slug) {
        day -> Text,
        lang -> Text,
        profile_slug -> Text,
        views -> BigInt,
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
        body_html -> Text,
        toc_json -> Text,
        source_path -> Text,
        publish_at -> Nullable<BigInt>,
        source_hash -> Text,
        search_id -> Nullable<BigInt>,
        job_description_markdown -> Nullable<Text>,
        isco -> Nullable<Text>,
    }
}

diesel::table! {
    retired_paths (path) {
        path -> Text,
        retired_at -> Text,
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
        level -> Nullable<Text>,
        engagement -> Text,
        country -> Nullable<Text>,
    }
}

diesel::table! {
    site_settings (id) {
        id -> Integer,
        settings_json -> Text,
    }
}

diesel::joinable!(admin_sessions -> admin_users (user_id));
diesel::joinable!(lead_events -> leads (lead_id));
diesel::joinable!(lead_notes -> leads (lead_id));
diesel::joinable!(outbox -> leads (lead_id));
diesel::joinable!(person_texts -> people (person_id));
diesel::joinable!(profiles -> people (contact_id));

diesel::allow_tables_to_appear_in_same_query!(
    admin_sessions,
    admin_users,
    lead_events,
    lead_notes,
    leads,
    login_throttle,
    outbox,
    pages,
    people,
    person_texts,
    profile_aliases,
    profile_related,
    profile_skills,
    profile_views,
    profiles,
    retired_paths,
    salaries,
    site_settings,
);
