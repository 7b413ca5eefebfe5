// @generated-compatible: matches `diesel print-schema` for migrations/sqlite and migrations/postgres.

diesel::table! {
    audit_log (id) {
        id -> Text,
        actor_id -> Nullable<Text>,
        action -> Text,
        object_type -> Text,
        object_id -> Text,
        district_id -> Nullable<Text>,
        municipality_id -> Nullable<Text>,
        summary -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    districts (id) {
        id -> Text,
        key -> Text,
        name -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    invitations (id) {
        id -> Text,
        email -> Text,
        role -> Text,
        locale -> Text,
        district_id -> Nullable<Text>,
        municipality_id -> Nullable<Text>,
        token_hash -> Text,
        invited_by -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    lebenslagen (id) {
        id -> Integer,
        name -> Text,
        themenfeld_id -> Integer,
    }
}

diesel::table! {
    leika_services (id) {
        id -> Integer,
        leika_key -> Nullable<Text>,
        name -> Text,
        typisierung -> Nullable<Text>,
        ozg_id -> Nullable<Integer>,
    }
}

diesel::table! {
    login_throttle (key) {
        key -> Text,
        failures -> Integer,
        last_failure_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    municipalities (id) {
        id -> Text,
        district_id -> Text,
        ags -> Text,
        name -> Text,
        kind -> Text,
        population -> Nullable<Integer>,
        website -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    ozg_services (ozg_id) {
        ozg_id -> Integer,
        name -> Text,
        themenfeld_id -> Integer,
        lebenslage_id -> Nullable<Integer>,
        leika_count -> Integer,
    }
}

diesel::table! {
    password_resets (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        session_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        last_used_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    themenfelder (id) {
        id -> Integer,
        name -> Text,
        lead_state -> Nullable<Text>,
        lead_note -> Nullable<Text>,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        name -> Text,
        password_hash -> Nullable<Text>,
        role -> Text,
        locale -> Text,
        district_id -> Nullable<Text>,
        municipality_id -> Nullable<Text>,
        active -> Bool,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(audit_log -> districts (district_id));
diesel::joinable!(invitations -> districts (district_id));
diesel::joinable!(lebenslagen -> themenfelder (themenfeld_id));
diesel::joinable!(leika_services -> ozg_services (ozg_id));
diesel::joinable!(municipalities -> districts (district_id));
diesel::joinable!(ozg_services -> themenfelder (themenfeld_id));
diesel::joinable!(password_resets -> users (user_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(users -> districts (district_id));
diesel::joinable!(users -> municipalities (municipality_id));
diesel::joinable!(audit_log -> users (actor_id));

diesel::allow_tables_to_appear_in_same_query!(
    audit_log,
    districts,
    invitations,
    lebenslagen,
    leika_services,
    login_throttle,
    municipalities,
    ozg_services,
    password_resets,
    refresh_tokens,
    sessions,
    themenfelder,
    users,
);
