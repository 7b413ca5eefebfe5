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
        project_id -> Nullable<Text>,
        process_id -> Nullable<Text>,
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
        sso_provider -> Nullable<Text>,
        sso_sid -> Nullable<Text>,
        sso_subject -> Nullable<Text>,
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

// Projects (migration 2026-11-25-000002). `project_search` is backend-specific
// (FTS5 / tsvector) and only used through raw SQL in `projects::search`.

diesel::table! {
    topics (id) {
        id -> Text,
        name_de -> Text,
        name_en -> Text,
        position -> Integer,
    }
}

diesel::table! {
    projects (id) {
        id -> Text,
        municipality_id -> Text,
        district_id -> Text,
        title -> Text,
        summary -> Text,
        description -> Text,
        status -> Text,
        visibility -> Text,
        planned_start -> Nullable<Date>,
        planned_end -> Nullable<Date>,
        budget_cents -> Nullable<BigInt>,
        contact_name -> Nullable<Text>,
        contact_email -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    project_topics (project_id, topic_id) {
        project_id -> Text,
        topic_id -> Text,
    }
}

diesel::table! {
    project_tags (project_id, tag) {
        project_id -> Text,
        tag -> Text,
    }
}

diesel::table! {
    project_ozg_services (project_id, ozg_id) {
        project_id -> Text,
        ozg_id -> Integer,
    }
}

diesel::table! {
    project_partners (project_id, municipality_id) {
        project_id -> Text,
        municipality_id -> Text,
        role -> Text,
        state -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    project_status_history (id) {
        id -> Text,
        project_id -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        note -> Text,
        changed_by -> Nullable<Text>,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    project_versions (id) {
        id -> Text,
        project_id -> Text,
        version -> Integer,
        changed_by -> Nullable<Text>,
        changed_at -> Timestamp,
        changes -> Text,
    }
}

diesel::table! {
    project_updates (id) {
        id -> Text,
        project_id -> Text,
        author_id -> Nullable<Text>,
        municipality_id -> Nullable<Text>,
        title -> Text,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    comments (id) {
        id -> Text,
        project_id -> Text,
        update_id -> Nullable<Text>,
        author_id -> Nullable<Text>,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    follows (user_id, project_id) {
        user_id -> Text,
        project_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    events (id) {
        id -> Text,
        actor_id -> Nullable<Text>,
        verb -> Text,
        object_type -> Text,
        object_id -> Text,
        project_id -> Nullable<Text>,
        district_id -> Nullable<Text>,
        municipality_id -> Nullable<Text>,
        visibility -> Nullable<Text>,
        target_user_id -> Nullable<Text>,
        payload -> Text,
        created_at -> Timestamp,
        processed_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(projects -> municipalities (municipality_id));
diesel::joinable!(project_topics -> projects (project_id));
diesel::joinable!(project_topics -> topics (topic_id));
diesel::joinable!(project_tags -> projects (project_id));
diesel::joinable!(project_ozg_services -> projects (project_id));
diesel::joinable!(project_ozg_services -> ozg_services (ozg_id));
diesel::joinable!(project_partners -> projects (project_id));
diesel::joinable!(project_partners -> municipalities (municipality_id));
diesel::joinable!(project_status_history -> projects (project_id));
diesel::joinable!(project_versions -> projects (project_id));
diesel::joinable!(project_updates -> projects (project_id));
diesel::joinable!(comments -> projects (project_id));
diesel::joinable!(follows -> projects (project_id));

diesel::table! {
    efa_solutions (id) {
        id -> Text,
        name -> Text,
        description -> Text,
        themenfeld_id -> Nullable<Integer>,
        lead_state -> Nullable<Text>,
        lead_body -> Nullable<Text>,
        it_provider -> Nullable<Text>,
        status -> Text,
        reuse_model -> Text,
        reuse_conditions -> Text,
        requirements -> Text,
        website -> Nullable<Text>,
        contact -> Nullable<Text>,
        published -> Bool,
        proposed_by -> Nullable<Text>,
        proposed_district_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    efa_solution_ozg (solution_id, ozg_id) {
        solution_id -> Text,
        ozg_id -> Integer,
    }
}

diesel::table! {
    adoptions (id) {
        id -> Text,
        solution_id -> Text,
        municipality_id -> Text,
        district_id -> Text,
        status -> Text,
        contact_name -> Nullable<Text>,
        notes -> Text,
        decline_reason -> Nullable<Text>,
        project_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    adoption_history (id) {
        id -> Text,
        adoption_id -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        note -> Text,
        changed_by -> Nullable<Text>,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    experience_reports (id) {
        id -> Text,
        adoption_id -> Text,
        solution_id -> Text,
        municipality_id -> Text,
        author_id -> Nullable<Text>,
        body -> Text,
        rating -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    strategies (id) {
        id -> Text,
        district_id -> Text,
        municipality_id -> Nullable<Text>,
        title -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    goal_fields (id) {
        id -> Text,
        strategy_id -> Text,
        title -> Text,
        description -> Text,
        position -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    measures (id) {
        id -> Text,
        goal_field_id -> Text,
        title -> Text,
        owner_user_id -> Nullable<Text>,
        target_date -> Nullable<Date>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    measure_projects (measure_id, project_id) {
        measure_id -> Text,
        project_id -> Text,
    }
}

diesel::joinable!(efa_solution_ozg -> efa_solutions (solution_id));
diesel::joinable!(efa_solution_ozg -> ozg_services (ozg_id));
diesel::joinable!(adoptions -> efa_solutions (solution_id));
diesel::joinable!(adoptions -> municipalities (municipality_id));
diesel::joinable!(adoption_history -> adoptions (adoption_id));
diesel::joinable!(experience_reports -> adoptions (adoption_id));
diesel::joinable!(goal_fields -> strategies (strategy_id));
diesel::joinable!(measures -> goal_fields (goal_field_id));
diesel::joinable!(measure_projects -> measures (measure_id));
diesel::joinable!(measure_projects -> projects (project_id));

diesel::table! {
    support_requests (id) {
        id -> Text,
        municipality_id -> Text,
        district_id -> Text,
        opened_by -> Nullable<Text>,
        category -> Text,
        title -> Text,
        description -> Text,
        urgency -> Text,
        wished_date -> Nullable<Date>,
        project_id -> Nullable<Text>,
        application_id -> Nullable<Text>,
        status -> Text,
        assignee_id -> Nullable<Text>,
        decline_reason -> Nullable<Text>,
        first_response_at -> Nullable<Timestamp>,
        resolved_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    support_messages (id) {
        id -> Text,
        request_id -> Text,
        author_id -> Nullable<Text>,
        internal -> Bool,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(support_requests -> municipalities (municipality_id));
diesel::joinable!(support_messages -> support_requests (request_id));

diesel::table! {
    notification_settings (user_id, kind) {
        user_id -> Text,
        kind -> Text,
        mode -> Text,
    }
}

diesel::table! {
    digest_settings (user_id) {
        user_id -> Text,
        frequency -> Text,
        weekday -> Integer,
        hour -> Integer,
        enabled -> Bool,
        version -> Integer,
    }
}

diesel::table! {
    notifications (id) {
        id -> Text,
        user_id -> Text,
        event_id -> Text,
        kind -> Text,
        mode -> Text,
        project_id -> Nullable<Text>,
        title -> Text,
        body -> Text,
        link -> Text,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
        digested_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        kind -> Text,
        idempotency_key -> Nullable<Text>,
        user_id -> Nullable<Text>,
        to_email -> Text,
        subject -> Text,
        body_text -> Nullable<Text>,
        body_html -> Nullable<Text>,
        headers -> Text,
        message_id -> Text,
        created_at -> Timestamp,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_by -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        failed_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        smtp_response -> Nullable<Text>,
        handed_over_at -> Nullable<Timestamp>,
        project_id -> Nullable<Text>,
    }
}

diesel::table! {
    digest_runs (user_id, period_key) {
        user_id -> Text,
        period_key -> Text,
        outbox_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    unsubscribe_tokens (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    worker_leases (name) {
        name -> Text,
        holder -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
    }
}

diesel::joinable!(notifications -> users (user_id));
diesel::joinable!(notifications -> events (event_id));

diesel::table! {
    funding_programmes (id) {
        id -> Text,
        slug -> Text,
        name -> Text,
        funder -> Text,
        administering_body -> Text,
        level -> Text,
        region -> Text,
        eligible_applicants -> Text,
        funding_type -> Text,
        rate_bp -> Nullable<Integer>,
        increased_rate_bp -> Nullable<Integer>,
        increased_rate_condition -> Text,
        min_amount_cents -> Nullable<BigInt>,
        max_amount_cents -> Nullable<BigInt>,
        max_amount_note -> Text,
        description -> Text,
        website -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    funding_calls (id) {
        id -> Text,
        programme_id -> Text,
        title -> Text,
        opens_on -> Nullable<Date>,
        deadline_date -> Date,
        deadline_time -> Nullable<Time>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    funding_interests (programme_id, municipality_id) {
        programme_id -> Text,
        municipality_id -> Text,
        note -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    funding_applications (id) {
        id -> Text,
        programme_id -> Text,
        call_id -> Nullable<Text>,
        district_id -> Text,
        lead_municipality_id -> Text,
        title -> Text,
        total_costs_cents -> BigInt,
        requested_cents -> BigInt,
        approved_cents -> Nullable<BigInt>,
        status -> Text,
        submitted_on -> Nullable<Date>,
        decision_on -> Nullable<Date>,
        notes -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    application_shares (application_id, municipality_id) {
        application_id -> Text,
        municipality_id -> Text,
        role -> Text,
        share_cents -> BigInt,
    }
}

diesel::table! {
    application_projects (application_id, project_id) {
        application_id -> Text,
        project_id -> Text,
    }
}

diesel::table! {
    checklist_items (id) {
        id -> Text,
        application_id -> Text,
        title -> Text,
        assignee_id -> Nullable<Text>,
        due_date -> Nullable<Date>,
        done_at -> Nullable<Timestamp>,
        done_by -> Nullable<Text>,
        position -> Integer,
        version -> Integer,
    }
}

diesel::table! {
    application_history (id) {
        id -> Text,
        application_id -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        note -> Text,
        changed_by -> Nullable<Text>,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    calendar_tokens (user_id) {
        user_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    deadline_reminders (key) {
        key -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(funding_calls -> funding_programmes (programme_id));
diesel::joinable!(funding_interests -> funding_programmes (programme_id));
diesel::joinable!(funding_interests -> municipalities (municipality_id));
diesel::joinable!(funding_applications -> funding_programmes (programme_id));
diesel::joinable!(application_shares -> funding_applications (application_id));
diesel::joinable!(application_shares -> municipalities (municipality_id));
diesel::joinable!(checklist_items -> funding_applications (application_id));
diesel::joinable!(application_history -> funding_applications (application_id));

diesel::allow_tables_to_appear_in_same_query!(
    adoption_history,
    files,
    funding_programme_topics,
    notification_topics,
    application_history,
    application_projects,
    application_shares,
    adoptions,
    audit_log,
    calendar_tokens,
    checklist_items,
    comments,
    deadline_reminders,
    digest_runs,
    digest_settings,
    districts,
    efa_solution_ozg,
    efa_solutions,
    events,
    experience_reports,
    follows,
    funding_applications,
    funding_calls,
    funding_interests,
    funding_programmes,
    goal_fields,
    invitations,
    lebenslagen,
    leika_services,
    login_throttle,
    measure_projects,
    measures,
    municipalities,
    notification_settings,
    notifications,
    outbox,
    ozg_services,
    password_resets,
    project_ozg_services,
    project_partners,
    project_status_history,
    project_tags,
    project_topics,
    project_updates,
    project_versions,
    projects,
    refresh_tokens,
    sessions,
    strategies,
    support_messages,
    support_requests,
    themenfelder,
    topics,
    unsubscribe_tokens,
    users,
    worker_leases,
);

// Programme topics and network topics (migration 2026-11-25-000008).

diesel::table! {
    funding_programme_topics (programme_id, topic_id) {
        programme_id -> Text,
        topic_id -> Text,
    }
}

diesel::table! {
    notification_topics (user_id, topic_id) {
        user_id -> Text,
        topic_id -> Text,
    }
}

diesel::joinable!(funding_programme_topics -> funding_programmes (programme_id));
diesel::joinable!(funding_programme_topics -> topics (topic_id));
diesel::joinable!(notification_topics -> topics (topic_id));

// Every uploaded file, owned by a project, an application or a support request
// (migration 2026-12-01-000010).

diesel::table! {
    files (id) {
        id -> Text,
        project_id -> Nullable<Text>,
        update_id -> Nullable<Text>,
        application_id -> Nullable<Text>,
        checklist_item_id -> Nullable<Text>,
        support_request_id -> Nullable<Text>,
        uploaded_by -> Nullable<Text>,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        created_at -> Timestamp,
        process_id -> Nullable<Text>,
    }
}

diesel::joinable!(files -> projects (project_id));
diesel::joinable!(files -> project_updates (update_id));
diesel::joinable!(files -> funding_applications (application_id));
diesel::joinable!(files -> checklist_items (checklist_item_id));
diesel::joinable!(files -> support_requests (support_request_id));
diesel::joinable!(files -> users (uploaded_by));

// Nutzungsmonitor: usage figures, imports, sharing, API tokens and the maturity model
// (migration 2026-12-02-000016).

diesel::table! {
    usage_tokens (id) {
        id -> Text,
        municipality_id -> Text,
        district_id -> Text,
        name -> Text,
        token_hash -> Text,
        prefix -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    usage_imports (id) {
        id -> Text,
        municipality_id -> Text,
        district_id -> Text,
        source -> Text,
        file_name -> Nullable<Text>,
        token_id -> Nullable<Text>,
        created_by -> Nullable<Text>,
        row_count -> Integer,
        figure_count -> Integer,
        replaced_count -> Integer,
        is_demo -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    usage_figures (municipality_id, leika_key, month, channel, source) {
        municipality_id -> Text,
        leika_key -> Text,
        month -> Integer,
        channel -> Text,
        source -> Text,
        district_id -> Text,
        ozg_id -> Nullable<Integer>,
        efa_solution_id -> Nullable<Text>,
        count -> Integer,
        median_days -> Nullable<Double>,
        backlog -> Nullable<Integer>,
        import_id -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    usage_figure_history (id) {
        id -> Text,
        municipality_id -> Text,
        leika_key -> Text,
        month -> Integer,
        channel -> Text,
        source -> Text,
        count -> Integer,
        median_days -> Nullable<Double>,
        backlog -> Nullable<Integer>,
        import_id -> Text,
        replaced_by_import_id -> Text,
        replaced_at -> Timestamp,
    }
}

diesel::table! {
    generations (scope) {
        scope -> Text,
        generation -> BigInt,
    }
}

diesel::table! {
    usage_sharing (municipality_id, leika_key) {
        municipality_id -> Text,
        leika_key -> Text,
        visibility -> Text,
        updated_by -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    maturity_models (id) {
        id -> Text,
        name -> Text,
        source -> Text,
        max_level -> Integer,
        position -> Integer,
    }
}

diesel::table! {
    maturity_levels (model_id, level) {
        model_id -> Text,
        level -> Integer,
        name -> Text,
        description -> Text,
    }
}

diesel::table! {
    maturity_criteria (model_id, key) {
        model_id -> Text,
        key -> Text,
        name -> Text,
        description -> Text,
        position -> Integer,
    }
}

diesel::table! {
    maturity_assessments (id) {
        id -> Text,
        municipality_id -> Text,
        district_id -> Text,
        leika_key -> Text,
        model_id -> Text,
        assessed_on -> Date,
        assessor -> Text,
        evidence_url -> Nullable<Text>,
        overall_level -> Integer,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    maturity_assessment_criteria (assessment_id, criterion_key) {
        assessment_id -> Text,
        criterion_key -> Text,
        level -> Integer,
    }
}

diesel::joinable!(usage_figures -> municipalities (municipality_id));
diesel::joinable!(usage_figures -> usage_imports (import_id));
diesel::joinable!(usage_imports -> municipalities (municipality_id));
diesel::joinable!(usage_tokens -> municipalities (municipality_id));
diesel::joinable!(usage_sharing -> municipalities (municipality_id));
diesel::joinable!(maturity_assessments -> municipalities (municipality_id));
diesel::joinable!(maturity_assessment_criteria -> maturity_assessments (assessment_id));

diesel::allow_tables_to_appear_in_same_query!(
    usage_tokens,
    usage_imports,
    usage_figures,
    usage_figure_history,
    usage_sharing,
    maturity_models,
    maturity_levels,
    maturity_criteria,
    maturity_assessments,
    maturity_assessment_criteria,
);

// Each new table with the older ones it is joined with (pairwise: the older ones
// already appear together above).
diesel::allow_tables_to_appear_in_same_query!(usage_tokens, municipalities);
diesel::allow_tables_to_appear_in_same_query!(usage_tokens, districts);
diesel::allow_tables_to_appear_in_same_query!(usage_tokens, users);
diesel::allow_tables_to_appear_in_same_query!(usage_tokens, leika_services);
diesel::allow_tables_to_appear_in_same_query!(usage_tokens, efa_solutions);
diesel::allow_tables_to_appear_in_same_query!(usage_tokens, efa_solution_ozg);
diesel::allow_tables_to_appear_in_same_query!(usage_tokens, adoptions);
diesel::allow_tables_to_appear_in_same_query!(usage_tokens, ozg_services);
diesel::allow_tables_to_appear_in_same_query!(usage_imports, municipalities);
diesel::allow_tables_to_appear_in_same_query!(usage_imports, districts);
diesel::allow_tables_to_appear_in_same_query!(usage_imports, users);
diesel::allow_tables_to_appear_in_same_query!(usage_imports, leika_services);
diesel::allow_tables_to_appear_in_same_query!(usage_imports, efa_solutions);
diesel::allow_tables_to_appear_in_same_query!(usage_imports, efa_solution_ozg);
diesel::allow_tables_to_appear_in_same_query!(usage_imports, adoptions);
diesel::allow_tables_to_appear_in_same_query!(usage_imports, ozg_services);
diesel::allow_tables_to_appear_in_same_query!(usage_figures, municipalities);
diesel::allow_tables_to_appear_in_same_query!(usage_figures, districts);
diesel::allow_tables_to_appear_in_same_query!(usage_figures, users);
diesel::allow_tables_to_appear_in_same_query!(usage_figures, leika_services);
diesel::allow_tables_to_appear_in_same_query!(usage_figures, efa_solutions);
diesel::allow_tables_to_appear_in_same_query!(usage_figures, efa_solution_ozg);
diesel::allow_tables_to_appear_in_same_query!(usage_figures, adoptions);
diesel::allow_tables_to_appear_in_same_query!(usage_figures, ozg_services);
diesel::allow_tables_to_appear_in_same_query!(usage_figure_history, municipalities);
diesel::allow_tables_to_appear_in_same_query!(usage_figure_history, districts);
diesel::allow_tables_to_appear_in_same_query!(usage_figure_history, users);
diesel::allow_tables_to_appear_in_same_query!(usage_figure_history, leika_services);
diesel::allow_tables_to_appear_in_same_query!(usage_figure_history, efa_solutions);
diesel::allow_tables_to_appear_in_same_query!(usage_figure_history, efa_solution_ozg);
diesel::allow_tables_to_appear_in_same_query!(usage_figure_history, adoptions);
diesel::allow_tables_to_appear_in_same_query!(usage_figure_history, ozg_services);
diesel::allow_tables_to_appear_in_same_query!(usage_sharing, municipalities);
diesel::allow_tables_to_appear_in_same_query!(usage_sharing, districts);
diesel::allow_tables_to_appear_in_same_query!(usage_sharing, users);
diesel::allow_tables_to_appear_in_same_query!(usage_sharing, leika_services);
diesel::allow_tables_to_appear_in_same_query!(usage_sharing, efa_solutions);
diesel::allow_tables_to_appear_in_same_query!(usage_sharing, efa_solution_ozg);
diesel::allow_tables_to_appear_in_same_query!(usage_sharing, adoptions);
diesel::allow_tables_to_appear_in_same_query!(usage_sharing, ozg_services);
diesel::allow_tables_to_appear_in_same_query!(maturity_models, municipalities);
diesel::allow_tables_to_appear_in_same_query!(maturity_models, districts);
diesel::allow_tables_to_appear_in_same_query!(maturity_models, users);
diesel::allow_tables_to_appear_in_same_query!(maturity_models, leika_services);
diesel::allow_tables_to_appear_in_same_query!(maturity_models, efa_solutions);
diesel::allow_tables_to_appear_in_same_query!(maturity_models, efa_solution_ozg);
diesel::allow_tables_to_appear_in_same_query!(maturity_models, adoptions);
diesel::allow_tables_to_appear_in_same_query!(maturity_models, ozg_services);
diesel::allow_tables_to_appear_in_same_query!(maturity_levels, municipalities);
diesel::allow_tables_to_appear_in_same_query!(maturity_levels, districts);
diesel::allow_tables_to_appear_in_same_query!(maturity_levels, users);
diesel::allow_tables_to_appear_in_same_query!(maturity_levels, leika_services);
diesel::allow_tables_to_appear_in_same_query!(maturity_levels, efa_solutions);
diesel::allow_tables_to_appear_in_same_query!(maturity_levels, efa_solution_ozg);
diesel::allow_tables_to_appear_in_same_query!(maturity_levels, adoptions);
diesel::allow_tables_to_appear_in_same_query!(maturity_levels, ozg_services);
diesel::allow_tables_to_appear_in_same_query!(maturity_criteria, municipalities);
diesel::allow_tables_to_appear_in_same_query!(maturity_criteria, districts);
diesel::allow_tables_to_appear_in_same_query!(maturity_criteria, users);
diesel::allow_tables_to_appear_in_same_query!(maturity_criteria, leika_services);
diesel::allow_tables_to_appear_in_same_query!(maturity_criteria, efa_solutions);
diesel::allow_tables_to_appear_in_same_query!(maturity_criteria, efa_solution_ozg);
diesel::allow_tables_to_appear_in_same_query!(maturity_criteria, adoptions);
diesel::allow_tables_to_appear_in_same_query!(maturity_criteria, ozg_services);
diesel::allow_tables_to_appear_in_same_query!(maturity_assessments, municipalities);
diesel::allow_tables_to_appear_in_same_query!(maturity_assessments, districts);
diesel::allow_tables_to_appear_in_same_query!(maturity_assessments, users);
diesel::allow_tables_to_appear_in_same_query!(maturity_assessments, leika_services);
diesel::allow_tables_to_appear_in_same_query!(maturity_assessments, efa_solutions);
diesel::allow_tables_to_appear_in_same_query!(maturity_assessments, efa_solution_ozg);
diesel::allow_tables_to_appear_in_same_query!(maturity_assessments, adoptions);
diesel::allow_tables_to_appear_in_same_query!(maturity_assessments, ozg_services);
diesel::allow_tables_to_appear_in_same_query!(maturity_assessment_criteria, municipalities);
diesel::allow_tables_to_appear_in_same_query!(maturity_assessment_criteria, districts);
diesel::allow_tables_to_appear_in_same_query!(maturity_assessment_criteria, users);
diesel::allow_tables_to_appear_in_same_query!(maturity_assessment_criteria, leika_services);
diesel::allow_tables_to_appear_in_same_query!(maturity_assessment_criteria, efa_solutions);
diesel::allow_tables_to_appear_in_same_query!(maturity_assessment_criteria, efa_solution_ozg);
diesel::allow_tables_to_appear_in_same_query!(maturity_assessment_criteria, adoptions);
diesel::allow_tables_to_appear_in_same_query!(maturity_assessment_criteria, ozg_services);

// Prozessregister: processes, models and their differences, profiles, continuity sheets
// (migration 2026-12-02-000018). `process_search` is backend-specific (FTS5 / tsvector)
// and used through SQL only.

diesel::table! {
    processes (id) {
        id -> Text,
        district_id -> Text,
        owner_municipality_id -> Nullable<Text>,
        name -> Text,
        leika_key -> Nullable<Text>,
        ozg_id -> Nullable<Integer>,
        themenfeld_id -> Nullable<Integer>,
        legal_basis -> Text,
        forms -> Text,
        it_systems -> Text,
        efa_solution_id -> Nullable<Text>,
        knowledge -> Text,
        visibility -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    process_offices (process_id, municipality_id) {
        process_id -> Text,
        municipality_id -> Text,
        office -> Text,
    }
}

diesel::table! {
    process_projects (process_id, project_id) {
        process_id -> Text,
        project_id -> Text,
    }
}

diesel::table! {
    process_models (id) {
        id -> Text,
        process_id -> Text,
        kind -> Text,
        municipality_id -> Nullable<Text>,
        version_no -> Integer,
        derived_from -> Nullable<Text>,
        file_name -> Text,
        xml -> Text,
        sha256 -> Text,
        size_bytes -> BigInt,
        activities -> Text,
        is_current -> Bool,
        uploaded_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    process_differences (id) {
        id -> Text,
        model_id -> Text,
        activity_id -> Text,
        change -> Text,
        reference_name -> Nullable<Text>,
        local_name -> Nullable<Text>,
        reason -> Text,
        state -> Text,
        updated_by -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    process_profiles (process_id, municipality_id, year) {
        process_id -> Text,
        municipality_id -> Text,
        year -> Integer,
        annual_cases -> Integer,
        minutes_per_case -> Integer,
        staff_fte_hundredths -> Integer,
        online_share_percent -> Nullable<Integer>,
        updated_by -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    continuity_sheets (process_id, municipality_id) {
        process_id -> Text,
        municipality_id -> Text,
        criticality -> Text,
        max_outage_hours -> Integer,
        fallback_kind -> Text,
        fallback -> Text,
        partner_municipality_id -> Nullable<Text>,
        contacts -> Text,
        systems -> Text,
        confirmed_at -> Nullable<Timestamp>,
        updated_by -> Nullable<Text>,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    continuity_exercises (id) {
        id -> Text,
        process_id -> Text,
        municipality_id -> Text,
        date -> Date,
        note -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(processes -> districts (district_id));
diesel::joinable!(processes -> themenfelder (themenfeld_id));
diesel::joinable!(processes -> efa_solutions (efa_solution_id));
diesel::joinable!(process_offices -> processes (process_id));
diesel::joinable!(process_offices -> municipalities (municipality_id));
diesel::joinable!(process_projects -> processes (process_id));
diesel::joinable!(process_projects -> projects (project_id));
diesel::joinable!(process_models -> processes (process_id));
diesel::joinable!(process_models -> municipalities (municipality_id));
diesel::joinable!(process_differences -> process_models (model_id));
diesel::joinable!(process_profiles -> processes (process_id));
diesel::joinable!(process_profiles -> municipalities (municipality_id));
diesel::joinable!(continuity_sheets -> processes (process_id));
diesel::joinable!(continuity_exercises -> processes (process_id));
diesel::joinable!(continuity_exercises -> municipalities (municipality_id));
diesel::joinable!(files -> processes (process_id));
diesel::allow_columns_to_appear_in_same_group_by_clause!(
    processes::id,
    processes::name,
    process_differences::activity_id,
);

diesel::allow_tables_to_appear_in_same_query!(
    processes,
    process_offices,
    process_projects,
    process_models,
    process_differences,
    process_profiles,
    continuity_sheets,
    continuity_exercises,
);

diesel::allow_tables_to_appear_in_same_query!(processes, municipalities);
diesel::allow_tables_to_appear_in_same_query!(processes, districts);
diesel::allow_tables_to_appear_in_same_query!(processes, users);
diesel::allow_tables_to_appear_in_same_query!(processes, projects);
diesel::allow_tables_to_appear_in_same_query!(processes, project_partners);
diesel::allow_tables_to_appear_in_same_query!(processes, files);
diesel::allow_tables_to_appear_in_same_query!(processes, efa_solutions);
diesel::allow_tables_to_appear_in_same_query!(processes, adoptions);
diesel::allow_tables_to_appear_in_same_query!(processes, themenfelder);
diesel::allow_tables_to_appear_in_same_query!(processes, leika_services);
diesel::allow_tables_to_appear_in_same_query!(processes, ozg_services);
diesel::allow_tables_to_appear_in_same_query!(processes, usage_figures);
diesel::allow_tables_to_appear_in_same_query!(processes, usage_sharing);
diesel::allow_tables_to_appear_in_same_query!(process_offices, municipalities);
diesel::allow_tables_to_appear_in_same_query!(process_offices, districts);
diesel::allow_tables_to_appear_in_same_query!(process_offices, users);
diesel::allow_tables_to_appear_in_same_query!(process_offices, projects);
diesel::allow_tables_to_appear_in_same_query!(process_offices, project_partners);
diesel::allow_tables_to_appear_in_same_query!(process_offices, files);
diesel::allow_tables_to_appear_in_same_query!(process_offices, efa_solutions);
diesel::allow_tables_to_appear_in_same_query!(process_offices, adoptions);
diesel::allow_tables_to_appear_in_same_query!(process_offices, themenfelder);
diesel::allow_tables_to_appear_in_same_query!(process_offices, leika_services);
diesel::allow_tables_to_appear_in_same_query!(process_offices, ozg_services);
diesel::allow_tables_to_appear_in_same_query!(process_offices, usage_figures);
diesel::allow_tables_to_appear_in_same_query!(process_offices, usage_sharing);
diesel::allow_tables_to_appear_in_same_query!(process_projects, municipalities);
diesel::allow_tables_to_appear_in_same_query!(process_projects, districts);
diesel::allow_tables_to_appear_in_same_query!(process_projects, users);
diesel::allow_tables_to_appear_in_same_query!(process_projects, projects);
diesel::allow_tables_to_appear_in_same_query!(process_projects, project_partners);
diesel::allow_tables_to_appear_in_same_query!(process_projects, files);
diesel::allow_tables_to_appear_in_same_query!(process_projects, efa_solutions);
diesel::allow_tables_to_appear_in_same_query!(process_projects, adoptions);
diesel::allow_tables_to_appear_in_same_query!(process_projects, themenfelder);
diesel::allow_tables_to_appear_in_same_query!(process_projects, leika_services);
diesel::allow_tables_to_appear_in_same_query!(process_projects, ozg_services);
diesel::allow_tables_to_appear_in_same_query!(process_projects, usage_figures);
diesel::allow_tables_to_appear_in_same_query!(process_projects, usage_sharing);
diesel::allow_tables_to_appear_in_same_query!(process_models, municipalities);
diesel::allow_tables_to_appear_in_same_query!(process_models, districts);
diesel::allow_tables_to_appear_in_same_query!(process_models, users);
diesel::allow_tables_to_appear_in_same_query!(process_models, projects);
diesel::allow_tables_to_appear_in_same_query!(process_models, project_partners);
diesel::allow_tables_to_appear_in_same_query!(process_models, files);
diesel::allow_tables_to_appear_in_same_query!(process_models, efa_solutions);
diesel::allow_tables_to_appear_in_same_query!(process_models, adoptions);
diesel::allow_tables_to_appear_in_same_query!(process_models, themenfelder);
diesel::allow_tables_to_appear_in_same_query!(process_models, leika_services);
diesel::allow_tables_to_appear_in_same_query!(process_models, ozg_services);
diesel::allow_tables_to_appear_in_same_query!(process_models, usage_figures);
diesel::allow_tables_to_appear_in_same_query!(process_models, usage_sharing);
diesel::allow_tables_to_appear_in_same_query!(process_differences, municipalities);
diesel::allow_tables_to_appear_in_same_query!(process_differences, districts);
diesel::allow_tables_to_appear_in_same_query!(process_differences, users);
diesel::allow_tables_to_appear_in_same_query!(process_differences, projects);
diesel::allow_tables_to_appear_in_same_query!(process_differences, project_partners);
diesel::allow_tables_to_appear_in_same_query!(process_differences, files);
diesel::allow_tables_to_appear_in_same_query!(process_differences, efa_solutions);
diesel::allow_tables_to_appear_in_same_query!(process_differences, adoptions);
diesel::allow_tables_to_appear_in_same_query!(process_differences, themenfelder);
diesel::allow_tables_to_appear_in_same_query!(process_differences, leika_services);
diesel::allow_tables_to_appear_in_same_query!(process_differences, ozg_services);
diesel::allow_tables_to_appear_in_same_query!(process_differences, usage_figures);
diesel::allow_tables_to_appear_in_same_query!(process_differences, usage_sharing);
diesel::allow_tables_to_appear_in_same_query!(process_profiles, municipalities);
diesel::allow_tables_to_appear_in_same_query!(process_profiles, districts);
diesel::allow_tables_to_appear_in_same_query!(process_profiles, users);
diesel::allow_tables_to_appear_in_same_query!(process_profiles, projects);
diesel::allow_tables_to_appear_in_same_query!(process_profiles, project_partners);
diesel::allow_tables_to_appear_in_same_query!(process_profiles, files);
diesel::allow_tables_to_appear_in_same_query!(process_profiles, efa_solutions);
diesel::allow_tables_to_appear_in_same_query!(process_profiles, adoptions);
diesel::allow_tables_to_appear_in_same_query!(process_profiles, themenfelder);
diesel::allow_tables_to_appear_in_same_query!(process_profiles, leika_services);
diesel::allow_tables_to_appear_in_same_query!(process_profiles, ozg_services);
diesel::allow_tables_to_appear_in_same_query!(process_profiles, usage_figures);
diesel::allow_tables_to_appear_in_same_query!(process_profiles, usage_sharing);
diesel::allow_tables_to_appear_in_same_query!(continuity_sheets, municipalities);
diesel::allow_tables_to_appear_in_same_query!(continuity_sheets, districts);
diesel::allow_tables_to_appear_in_same_query!(continuity_sheets, users);
diesel::allow_tables_to_appear_in_same_query!(continuity_sheets, projects);
diesel::allow_tables_to_appear_in_same_query!(continuity_sheets, project_partners);
diesel::allow_tables_to_appear_in_same_query!(continuity_sheets, files);
diesel::allow_tables_to_appear_in_same_query!(continuity_sheets, efa_solutions);
diesel::allow_tables_to_appear_in_same_query!(continuity_sheets, adoptions);
diesel::allow_tables_to_appear_in_same_query!(continuity_sheets, themenfelder);
diesel::allow_tables_to_appear_in_same_query!(continuity_sheets, leika_services);
diesel::allow_tables_to_appear_in_same_query!(continuity_sheets, ozg_services);
diesel::allow_tables_to_appear_in_same_query!(continuity_sheets, usage_figures);
diesel::allow_tables_to_appear_in_same_query!(continuity_sheets, usage_sharing);
diesel::allow_tables_to_appear_in_same_query!(continuity_exercises, municipalities);
diesel::allow_tables_to_appear_in_same_query!(continuity_exercises, districts);
diesel::allow_tables_to_appear_in_same_query!(continuity_exercises, users);
diesel::allow_tables_to_appear_in_same_query!(continuity_exercises, projects);
diesel::allow_tables_to_appear_in_same_query!(continuity_exercises, project_partners);
diesel::allow_tables_to_appear_in_same_query!(continuity_exercises, files);
diesel::allow_tables_to_appear_in_same_query!(continuity_exercises, efa_solutions);
diesel::allow_tables_to_appear_in_same_query!(continuity_exercises, adoptions);
diesel::allow_tables_to_appear_in_same_query!(continuity_exercises, themenfelder);
diesel::allow_tables_to_appear_in_same_query!(continuity_exercises, leika_services);
diesel::allow_tables_to_appear_in_same_query!(continuity_exercises, ozg_services);
diesel::allow_tables_to_appear_in_same_query!(continuity_exercises, usage_figures);
diesel::allow_tables_to_appear_in_same_query!(continuity_exercises, usage_sharing);

// Single sign-on: identities at OpenID providers, login attempts, seen logout tokens
// (migration 2026-12-02-000019; the sessions columns sso_* are in `sessions` above).

diesel::table! {
    sso_identities (id) {
        id -> Text,
        user_id -> Text,
        provider -> Text,
        subject -> Text,
        external_id -> Nullable<Text>,
        managed_fields -> Text,
        created_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
        scim_deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sso_login_attempts (id) {
        id -> Text,
        provider -> Text,
        state_hash -> Text,
        browser_hash -> Text,
        nonce -> Text,
        pkce_verifier -> Text,
        return_to -> Text,
        status -> Text,
        refusal -> Nullable<Text>,
        link_user_id -> Nullable<Text>,
        link_claims -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        consumed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sso_logout_jtis (provider, jti) {
        provider -> Text,
        jti -> Text,
        expires_at -> Timestamp,
    }
}

diesel::joinable!(sso_identities -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(sso_identities, users);
diesel::allow_tables_to_appear_in_same_query!(sso_identities, sessions);
