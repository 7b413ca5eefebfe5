//! Descriptions of every API operation for the OpenAPI document: what it does and who may
//! call it, for integrators. Applied to the generated document in `app.rs`; a test fails
//! when an operation has none or an entry names no operation.
pub const DESCRIPTIONS: &[(&str, &str)] = &[
    (
        "get_legal_page",
        "Eine Rechts- und Informationsseite (Impressum, Datenschutzerklärung, Erklärung zur Barrierefreiheit) als Markdown und bereinigtes HTML. Der Betrieb legt sie als Datei legal/<seite>.md (englisch: legal/<seite>.en.md) im Datenverzeichnis ab; Änderungen gelten sofort, ohne Neustart. Ohne Datei kommt die mitgelieferte deutsche Vorlage. Öffentlich, ohne Anmeldung.",
    ),
    (
        "admin_outbox",
        "Listet die Mails des Postausgangs nach Zustand (wartend, versendet, fehlgeschlagen, unbestätigt; ohne Angabe: fehlgeschlagen), damit Zustellprobleme sichtbar bleiben. Nur Admins.",
    ),
    (
        "retry_outbox_mail",
        "Stellt eine aufgegebene Mail erneut in den Versand: Sie ist sofort fällig und bekommt eine neue Frist bis zur Aufgabe. Nur fehlgeschlagene Mails; nur Admins.",
    ),
    (
        "get_adoption",
        "Zeigt eine Nachnutzung einer EfA-Lösung durch eine Kommune mit Status, Ansprechperson, Notizen und verknüpftem Projekt. Alle Angemeldeten, auch aus anderen Kreisen (ändern dürfen nur die Kommune, die Kreis-Koordination und Admins).",
    ),
    (
        "update_adoption",
        "Ändert Ansprechperson, Notizen und verknüpftes Projekt einer Nachnutzung (das Projekt muss sichtbar sein und zum selben Kreis gehören); braucht If-Match. Digitalisierungsbeauftragte der eigenen Kommune, die Kreis-Koordination des Kreises und Admins.",
    ),
    (
        "adoption_history_route",
        "Der datierte Verlauf einer Nachnutzung: wer sie wann in welchen Status gesetzt hat, mit Notiz oder Ablehnungsgrund. Alle Angemeldeten, auch aus anderen Kreisen.",
    ),
    (
        "change_adoption_status",
        "Setzt eine Nachnutzung schrittweise im Ablauf weiter (Interesse → In Prüfung → Vertragsabschluss → Einführung → In Betrieb) oder lehnt sie mit Grund ab; Sprünge werden abgewiesen, braucht If-Match. Digitalisierungsbeauftragte der eigenen Kommune, die Kreis-Koordination des Kreises und Admins.",
    ),
    (
        "list_audit",
        "Einträge des Prüfprotokolls (wer hat was wann geändert), neueste zuerst, filterbar nach Kreis und Aktion. Admins alles, die Kreis-Koordination nur ihren Kreis, sonst 403; Einträge zu Projekten, die der Lesende nicht sehen darf, fehlen.",
    ),
    (
        "login",
        "Meldet mit E-Mail und Passwort an und liefert ein Zugriffstoken und ein Refresh-Cookie. Öffentlich, ohne Anmeldung; falsche Angaben ergeben immer dieselbe Antwort, gehäufte Versuche werden gebremst (429).",
    ),
    (
        "logout",
        "Beendet die Sitzung des Refresh-Cookies (und des mitgesendeten Bearer-Tokens) und löscht das Cookie. Ohne gültige Anmeldung aufrufbar; Aufrufe aus fremden Origins werden abgewiesen (403).",
    ),
    (
        "request_reset",
        "Schickt einen Link zum Zurücksetzen des Passworts, wenn die Adresse zu einem aktiven Konto gehört; antwortet immer 202, damit niemand erfährt, ob es das Konto gibt. Öffentlich, ohne Anmeldung.",
    ),
    (
        "confirm_reset",
        "Setzt mit dem Token aus dem Rücksetz-Link ein neues Passwort und beendet alle Sitzungen des Kontos. Öffentlich, ohne Anmeldung; der Link gilt nur einmal und befristet.",
    ),
    (
        "refresh_session",
        "Tauscht das Refresh-Cookie gegen ein neues Zugriffstoken und ein neues Cookie; wird ein schon benutztes Refresh-Token erneut vorgelegt, endet die ganze Sitzung. Nur mit Cookie, ohne Bearer-Token; fremde Origins werden abgewiesen (403).",
    ),
    (
        "calendar",
        "Der persönliche Fristenkalender (ICS): Förderfristen der Programme und Anträge der eigenen Kommune (Kreis-Koordination: alle Anträge des Kreises) und eigene fällige Checklistenpunkte. Ohne Anmeldung, die geheime Adresse ist der Schlüssel; unbekannte Adressen und inaktive Konten antworten 404.",
    ),
    (
        "district",
        "Lagebild des Kreises: Projekte, EfA-Nachnutzung, OZG-Abdeckung, Unterstützungsanfragen, Strategie und letzte Aktivitäten. Admins (Kreis wählbar) und alle Angemeldeten des Kreises, auch Mitarbeitende; nicht sichtbare Projekte zählen nicht, andere Kreise antworten 404.",
    ),
    (
        "town",
        "Startseite der eigenen Kommune: offene Unterstützungsanfragen, eigene Maßnahmen, Projekte der Kommune nach Status und Neuigkeiten gefolgter Projekte. Alle Angemeldeten; ohne eigene Kommune (Kreis-Koordination, Admins) bleiben die kommunalen Teile leer.",
    ),
    (
        "my_today",
        "„Heute wichtig“ für die angemeldete Person: Fristen von Förderaufrufen (für Anträge in Vorbereitung, an denen die eigene Kommune als Antragstellerin oder Partnerin beteiligt ist, und für Programme mit bekundetem Interesse; für die Kreis-Koordination alle Anträge des Kreises) innerhalb von `days` Tagen (Standard 60), ihr zugewiesene offene Checklistenpunkte, Unterstützungsanfragen, die auf sie warten (Kommune: Status „Wartet“ oder letzte Antwort kam vom Kreis; Kreis-Koordination: neue und ihr zugewiesene Anfragen), fällige eigene Maßnahmen, Neuigkeiten gefolgter Projekte (nur sichtbare Projekte) und für die Kreis-Koordination die Kennzahlen des Kreises. Jede Liste höchstens 10 Einträge, dringendste zuerst, mit Gesamtzahl. Alle Angemeldeten.",
    ),
    ("list_districts", "Listet alle Kreise der Plattform. Alle Angemeldeten."),
    (
        "create_district",
        "Legt einen Kreis mit fünfstelligem Kreisschlüssel und Namen an; der Schlüssel muss eindeutig sein. Nur Admins.",
    ),
    ("get_district", "Zeigt einen Kreis mit Schlüssel und Namen. Alle Angemeldeten."),
    ("update_district", "Benennt einen Kreis um; braucht If-Match. Nur Admins."),
    (
        "get_coverage",
        "OZG-Abdeckung einer Kommune oder des ganzen Kreises je Themenfeld (Nachnutzungen und Projekte in Betrieb) sowie Lücken, die andere Kreise schon abdecken. Admins und alle Angemeldeten des Kreises; andere Kreise antworten 404, nicht sichtbare Projekte zählen nicht.",
    ),
    (
        "get_matrix",
        "Nachnutzungsmatrix des Kreises: Kommunen × veröffentlichte EfA-Lösungen mit dem Status jeder Zelle und Summen, optional je Themenfeld. Admins und alle Angemeldeten des Kreises; andere Kreise antworten 404.",
    ),
    (
        "matrix_csv",
        "Die Nachnutzungsmatrix als CSV (UTF-8 mit BOM, Semikolon) für andere Systeme und deutsches Excel. Admins und alle Angemeldeten des Kreises; andere Kreise antworten 404.",
    ),
    (
        "matrix_xlsx",
        "Die Nachnutzungsmatrix als Excel-Arbeitsmappe zum Weiterarbeiten. Admins und alle Angemeldeten des Kreises; andere Kreise antworten 404.",
    ),
    (
        "list_solutions",
        "Der Katalog der EfA-Lösungen, filterbar nach Themenfeld, Status, federführendem Land und Name. Alle Angemeldeten; unveröffentlichte Vorschläge sehen nur die Vorschlagenden, die Kreis-Koordination ihres Kreises und Admins.",
    ),
    (
        "create_solution",
        "Nimmt eine EfA-Lösung in den Katalog auf: von Admins und Kreis-Koordination sofort veröffentlicht, von Digitalisierungsbeauftragten als Vorschlag, bis die Kreis-Koordination ihn veröffentlicht. Alle außer Mitarbeitenden (403).",
    ),
    (
        "get_solution",
        "Zeigt eine EfA-Lösung mit den Nachnutzungen aller Kommunen und ihrem Stand sowie den Erfahrungsberichten. Alle Angemeldeten; unveröffentlichte Vorschläge nur für Vorschlagende, die Kreis-Koordination ihres Kreises und Admins, sonst 404.",
    ),
    (
        "update_solution",
        "Bearbeitet eine EfA-Lösung im plattformweiten Katalog; braucht If-Match. Nur Admins und Kreis-Koordination (unveröffentlichte Vorschläge nur aus dem eigenen Kreis).",
    ),
    (
        "create_adoption",
        "Meldet das Interesse einer Kommune an einer EfA-Lösung („Wir sind interessiert“): eine neue Nachnutzung im Status interessiert, je Kommune und Lösung nur eine (409). Digitalisierungsbeauftragte der eigenen Kommune, die Kreis-Koordination des Kreises und Admins.",
    ),
    (
        "publish_solution",
        "Veröffentlicht eine vorgeschlagene EfA-Lösung im Katalog. Nur Admins und die Kreis-Koordination des Kreises, aus dem der Vorschlag stammt.",
    ),
    (
        "create_report",
        "Schreibt einen Erfahrungsbericht mit Bewertung (1–5) zu einer EfA-Lösung für eine Kommune, deren Nachnutzung in Einführung oder in Betrieb ist. Digitalisierungsbeauftragte der eigenen Kommune, die Kreis-Koordination des Kreises und Admins.",
    ),
    (
        "list_applications",
        "Die Förderanträge des Kreises (die Übersicht gruppiert sie nach Status), filterbar nach Status, Programm und beteiligter Kommune. Alle Angemeldeten des Kreises, Admins alle; Notizen nur für die antragstellende Kommune, Kreis-Koordination und Admins.",
    ),
    (
        "create_application",
        "Legt einen Förderantrag an, mit den Anteilen der antragstellenden und der Partnerkommunen (nur aus dem Kreis) und der Standard-Checkliste. Digitalisierungsbeauftragte der antragstellenden Kommune, die Kreis-Koordination des Kreises und Admins.",
    ),
    (
        "get_application",
        "Zeigt einen Förderantrag mit Anteilen, Checkliste und Verlauf. Alle Angemeldeten des Kreises und Admins, sonst 404; Notizen nur für die antragstellende Kommune, die Kreis-Koordination und Admins, verborgene verknüpfte Projekte fehlen.",
    ),
    (
        "update_application",
        "Bearbeitet einen Förderantrag; braucht If-Match. Digitalisierungsbeauftragte der antragstellenden Kommune, die Kreis-Koordination des Kreises und Admins; Digitalisierungsbeauftragte einer Partnerkommune dürfen nur den Anteil der eigenen Kommune ändern.",
    ),
    (
        "add_checklist_item",
        "Fügt der Checkliste eines Antrags einen Punkt hinzu, optional mit zuständiger Person (aus einer beteiligten Kommune oder der Kreis-Koordination) und Fälligkeit. Digitalisierungsbeauftragte der antragstellenden Kommune, die Kreis-Koordination des Kreises und Admins.",
    ),
    (
        "list_documents",
        "Listet die Dokumente eines Förderantrags, neueste zuerst. Alle Angemeldeten des Kreises und Admins; sonst 404.",
    ),
    (
        "upload_document",
        "Lädt ein Dokument zum Antrag hoch (Multipart-Feld file, optional checklist_item_id). Wer den Antrag verwaltet (antragstellende Kommune, Kreis-Koordination, Admins), lädt beliebig hoch; die zuständige Person eines Checklistenpunkts nur zu diesem Punkt.",
    ),
    (
        "download_document",
        "Lädt ein Dokument eines Förderantrags herunter. Alle Angemeldeten des Kreises und Admins; wer den Antrag nicht lesen darf, erhält 404.",
    ),
    (
        "delete_document",
        "Entfernt ein Dokument eines Förderantrags. Wer den Antrag verwaltet (Digitalisierungsbeauftragte der antragstellenden Kommune, Kreis-Koordination, Admins) oder das Dokument hochgeladen hat.",
    ),
    (
        "change_application_status",
        "Setzt einen Förderantrag im Ablauf weiter (Idee → Vorbereitung → eingereicht → bewilligt oder abgelehnt; zurückgezogen aus jedem offenen Stand); braucht If-Match. Digitalisierungsbeauftragte der antragstellenden Kommune, die Kreis-Koordination des Kreises und Admins.",
    ),
    (
        "delete_call",
        "Löscht einen Förderaufruf aus dem plattformweiten Katalog; beziehen sich Anträge darauf, wird das abgewiesen (409). Nur Admins und Kreis-Koordination.",
    ),
    (
        "update_checklist_item",
        "Bearbeitet oder hakt einen Checklistenpunkt ab; braucht If-Match (Version des Punkts). Wer den Antrag verwaltet (antragstellende Kommune, Kreis-Koordination, Admins), ändert alles; die zuständige Person darf nur abhaken.",
    ),
    (
        "get_overview",
        "Förderübersicht des Kreises je Kommune und Programm: Kosten, beantragt, bewilligt, Eigenanteil (ohne zurückgezogene und abgelehnte Anträge). Admins (Kreis wählbar) und alle Angemeldeten des Kreises; andere Kreise antworten 404.",
    ),
    (
        "overview_csv",
        "Die Förderübersicht des Kreises als CSV für andere Systeme und deutsches Excel. Admins und alle Angemeldeten des Kreises; andere Kreise antworten 404.",
    ),
    (
        "overview_xlsx",
        "Die Förderübersicht des Kreises als Excel-Arbeitsmappe, Beträge als Euro-Zahlen. Admins und alle Angemeldeten des Kreises; andere Kreise antworten 404.",
    ),
    (
        "list_programmes",
        "Förderprogramme mit ihren Aufrufen und Fristen, filterbar nach Ebene, Text, Thema und offenen Aufrufen. Alle Angemeldeten.",
    ),
    (
        "get_programme",
        "Zeigt ein Förderprogramm mit seinen Aufrufen und den Kommunen des eigenen Kreises, die Interesse bekundet haben. Alle Angemeldeten.",
    ),
    (
        "update_programme",
        "Bearbeitet ein Förderprogramm im plattformweiten Katalog (Förderquoten, Beträge, Status, Themen …); braucht If-Match. Nur Admins und Kreis-Koordination.",
    ),
    (
        "create_call",
        "Fügt einem Förderprogramm einen Aufruf mit Frist hinzu (optional mit Öffnungsdatum und Uhrzeit). Nur Admins und Kreis-Koordination.",
    ),
    (
        "declare_interest",
        "Bekundet das Interesse einer Kommune an einem Förderprogramm, sichtbar für den Kreis, damit sich gemeinsame Anträge finden; ersetzt eine frühere Bekundung. Digitalisierungsbeauftragte der eigenen Kommune, die Kreis-Koordination des Kreises und Admins.",
    ),
    (
        "delete_goal_field",
        "Löscht ein Zielfeld einer Strategie samt seinen Maßnahmen. Kreisstrategie: Kreis-Koordination des Kreises und Admins; Strategie einer Kommune: deren Digitalisierungsbeauftragte und Admins.",
    ),
    (
        "update_goal_field",
        "Bearbeitet Titel, Beschreibung oder Position eines Zielfelds; braucht If-Match (Version des Zielfelds). Kreisstrategie: Kreis-Koordination des Kreises und Admins; Strategie einer Kommune: deren Digitalisierungsbeauftragte und Admins.",
    ),
    (
        "create_measure",
        "Legt in einem Zielfeld eine Maßnahme an, optional mit verantwortlicher Person aus dem Kreis, Zieldatum und sichtbaren Projekten des Kreises. Kreisstrategie: Kreis-Koordination des Kreises und Admins; Strategie einer Kommune: deren Digitalisierungsbeauftragte und Admins.",
    ),
    (
        "list_invitations",
        "Listet Einladungen, neueste zuerst: Admins alle, die Kreis-Koordination die ihres Kreises, Digitalisierungsbeauftragte die ihrer Kommune. Mitarbeitende erhalten 403.",
    ),
    (
        "create_invitation",
        "Lädt jemanden per E-Mail mit einer Rolle ein; der Link gilt sieben Tage. Admins vergeben jede Rolle, die Kreis-Koordination alle außer Admin in ihrem Kreis, Digitalisierungsbeauftragte nur Mitarbeitende der eigenen Kommune.",
    ),
    (
        "preview_invitation",
        "Zeigt der eingeladenen Person die offene Einladung (Adresse, Rolle, Kreis oder Kommune, Ablauf). Öffentlich, ohne Anmeldung, der Link ist der Schlüssel; abgelaufene, benutzte oder widerrufene Einladungen antworten 404.",
    ),
    (
        "accept_invitation",
        "Nimmt eine Einladung an und legt das Konto mit gewähltem Namen und Passwort an; der Link gilt nur einmal. Öffentlich, ohne Anmeldung.",
    ),
    (
        "revoke_invitation",
        "Widerruft eine offene Einladung. Admins, die Kreis-Koordination für Einladungen in ihren Kreis, Digitalisierungsbeauftragte für Einladungen in ihre Kommune; andere erhalten 404, angenommene Einladungen 409.",
    ),
    ("get_me", "Das eigene Konto mit Rolle, Kreis und Kommune. Alle Angemeldeten."),
    (
        "delete_me",
        "Löscht das eigene Konto nach Eingabe des Passworts: Name, E-Mail und Passwort werden gelöscht, Sitzungen beendet, Einstellungen, Benachrichtigungen, Abos und Kalenderlink entfernt; Einträge im Prüfprotokoll bleiben. Alle Angemeldeten, nur für sich selbst.",
    ),
    (
        "update_me",
        "Ändert den eigenen Namen oder die Sprache; braucht If-Match. Alle Angemeldeten, nur für sich selbst.",
    ),
    (
        "renew_calendar_token",
        "Erzeugt oder erneuert die geheime Adresse des persönlichen Fristenkalenders; eine alte Adresse wird ungültig. Alle Angemeldeten, nur für sich selbst.",
    ),
    (
        "my_data",
        "Exportiert alle über die eigene Person gespeicherten Daten als JSON-Datei (Konto, Sitzungen, versandte Einladungen, eigene Aktionen; DSGVO Art. 15). Alle Angemeldeten, nur für sich selbst.",
    ),
    (
        "preview",
        "Zeigt die nächste E-Mail-Zusammenfassung, wie sie jetzt aussähe, oder dass nichts ansteht. Alle Angemeldeten, nur für sich selbst.",
    ),
    (
        "get_settings",
        "Die eigenen Benachrichtigungseinstellungen: Modus je Ereignisart, Zeitplan der Zusammenfassung und Themen für Netzwerk-Neuigkeiten (Standardwerte, wo nie geändert). Alle Angemeldeten, nur für sich selbst.",
    ),
    (
        "put_settings",
        "Speichert die eigenen Benachrichtigungseinstellungen; braucht If-Match (0 vor dem ersten Speichern). Alle Angemeldeten, nur für sich selbst.",
    ),
    (
        "change_password",
        "Ändert das eigene Passwort nach Eingabe des aktuellen; alle anderen Sitzungen des Kontos enden. Alle Angemeldeten; Fehlversuche werden wie Anmeldeversuche gebremst (429).",
    ),
    (
        "delete_measure",
        "Löscht eine Maßnahme einer Strategie. Kreisstrategie: Kreis-Koordination des Kreises und Admins; Strategie einer Kommune: deren Digitalisierungsbeauftragte und Admins.",
    ),
    (
        "update_measure",
        "Bearbeitet eine Maßnahme (Titel, verantwortliche Person, Zieldatum, verknüpfte Projekte); braucht If-Match. Kreisstrategie: Kreis-Koordination des Kreises und Admins; Strategie einer Kommune: deren Digitalisierungsbeauftragte und Admins.",
    ),
    (
        "change_measure_status",
        "Setzt eine Maßnahme im Ablauf weiter (geplant → in Arbeit → erledigt, oder verworfen); braucht If-Match. Kreisstrategie: Kreis-Koordination des Kreises und Admins; Strategie einer Kommune: deren Digitalisierungsbeauftragte und Admins.",
    ),
    (
        "list_municipalities",
        "Listet die Kommunen nach Namen, filterbar nach Kreis und Name oder AGS. Alle Angemeldeten, plattformweit.",
    ),
    (
        "create_municipality",
        "Nimmt eine Kommune in einen Kreis auf; ihr AGS muss mit dem Kreisschlüssel beginnen und eindeutig sein. Admins und die Kreis-Koordination des Kreises.",
    ),
    (
        "get_municipality",
        "Zeigt eine Kommune mit AGS, Name, Art, Einwohnerzahl und Website. Alle Angemeldeten.",
    ),
    (
        "update_municipality",
        "Ändert Name, Art, Einwohnerzahl oder Website einer Kommune; braucht If-Match. Admins und die Kreis-Koordination des Kreises.",
    ),
    (
        "feed",
        "Die eigenen In-App-Benachrichtigungen, neueste zuerst, optional nur ungelesene. Alle Angemeldeten, nur eigene; Benachrichtigungen zu inzwischen verborgenen Projekten werden nicht gezeigt.",
    ),
    ("mark_all_read", "Markiert alle eigenen Benachrichtigungen als gelesen. Alle Angemeldeten."),
    ("unread_count", "Zahl der ungelesenen eigenen Benachrichtigungen. Alle Angemeldeten."),
    (
        "mark_read",
        "Markiert eine eigene Benachrichtigung als gelesen; fremde antworten 404. Alle Angemeldeten.",
    ),
    ("openapi_json", "Dieses OpenAPI-3.1-Dokument der API. Öffentlich, ohne Anmeldung."),
    (
        "list_lebenslagen",
        "Lebens- und Unternehmenslagen des OZG-Katalogs, optional eines Themenfelds. Alle Angemeldeten.",
    ),
    (
        "list_services",
        "OZG-Leistungen, filterbar nach Themenfeld, Lebenslage und Text, sortiert nach OZG-ID. Alle Angemeldeten.",
    ),
    ("get_service", "Zeigt eine OZG-Leistung mit ihren LeiKa-Leistungen. Alle Angemeldeten."),
    (
        "list_themenfelder",
        "Die 14 Themenfelder des OZG mit der Zahl ihrer Leistungen. Alle Angemeldeten.",
    ),
    (
        "list_projects",
        "Das Projektregister mit deutscher Volltextsuche, Filtern und Sortierung. Alle Angemeldeten; private Projekte erscheinen nur für die eigene Kommune (auch nicht für Kreis-Koordination und Admins), Kreis-Projekte nur im eigenen Kreis.",
    ),
    (
        "create_project",
        "Legt ein Projekt für die eigene Kommune an, Kreis-Koordination und Admins nennen die Kommune; es beginnt nicht pausiert oder abgebrochen. Digitalisierungsbeauftragte der eigenen Kommune, die Kreis-Koordination des Kreises und Admins; Mitarbeitende erhalten 403.",
    ),
    (
        "export_projects",
        "Die gefilterte Projektliste (höchstens 5 000 Zeilen) als CSV (Semikolon, UTF-8 mit BOM) für Systeme und deutsches Excel. Alle Angemeldeten; nur Projekte, die der Aufrufende sehen darf.",
    ),
    (
        "export_projects_xlsx",
        "Die gefilterte Projektliste als Excel-Arbeitsmappe: AGS und OZG-IDs als Text, Budgets in Euro, Daten als Datum. Alle Angemeldeten; nur Projekte, die der Aufrufende sehen darf.",
    ),
    (
        "similar_for_draft",
        "„Wer baut das schon?“: die ähnlichsten Projekte anderer Kommunen zu einem Entwurf, mit Begründung (gleiche OZG-Leistung, gleiches Thema, ähnliche Wörter). Alle Angemeldeten; nur Projekte, die der Aufrufende sehen darf.",
    ),
    (
        "get_project",
        "Zeigt ein Projekt mit Details und Partnern. Alle Angemeldeten, die es sehen dürfen; private Projekte anderer Kommunen und Kreis-Projekte anderer Kreise antworten 404.",
    ),
    (
        "update_project",
        "Bearbeitet ein Projekt (nicht Status und Kommune); braucht If-Match, eine veraltete Version ergibt 412. Digitalisierungsbeauftragte der eigenen oder einer angenommenen Partnerkommune, die Kreis-Koordination des Kreises und Admins; nicht sichtbare Projekte antworten 404.",
    ),
    (
        "list_attachments",
        "Listet die Anhänge eines Projekts und seiner Fortschrittsberichte. Alle, die das Projekt sehen dürfen; sonst 404.",
    ),
    (
        "upload_attachment",
        "Lädt eine Datei zum Projekt hoch (Multipart-Feld file, optional update_id für einen Fortschrittsbericht). Digitalisierungsbeauftragte der eigenen oder einer angenommenen Partnerkommune, die Kreis-Koordination des Kreises und Admins.",
    ),
    (
        "download_attachment",
        "Lädt einen Projektanhang herunter. Alle, die das Projekt sehen dürfen; wer es nicht sehen darf, erhält 404.",
    ),
    (
        "delete_attachment",
        "Entfernt einen Projektanhang. Digitalisierungsbeauftragte der eigenen oder einer angenommenen Partnerkommune, die Kreis-Koordination des Kreises und Admins.",
    ),
    (
        "list_comments",
        "Kommentare zum Projekt und zu seinen Fortschrittsberichten, älteste zuerst. Alle, die das Projekt sehen dürfen; sonst 404.",
    ),
    (
        "create_comment",
        "Kommentiert ein Projekt oder einen seiner Fortschrittsberichte (Markdown, @-Erwähnungen); Erwähnte werden nur benachrichtigt, wenn sie das Projekt sehen dürfen. Alle, die das Projekt sehen dürfen, auch Mitarbeitende.",
    ),
    (
        "follow",
        "Folgt einem Projekt, sodass seine Neuigkeiten in den eigenen Benachrichtigungen erscheinen. Alle, die das Projekt sehen dürfen; sonst 404.",
    ),
    ("unfollow", "Beendet das Folgen eines Projekts. Alle Angemeldeten."),
    (
        "mentionable",
        "Bis zu zehn aktive Personen aus dem Kreis des Projekts, die es sehen dürfen und sich @-erwähnen lassen, optional nach Namensteil. Alle, die das Projekt sehen dürfen; sonst 404.",
    ),
    (
        "add_partner",
        "Fügt eine mitwirkende Kommune hinzu: die Eigentümerseite (Digitalisierungsbeauftragte der Projektkommune, Kreis-Koordination des Kreises, Admins) direkt als angenommen; Digitalisierungsbeauftragte einer anderen Kommune nur die eigene, als Anfrage.",
    ),
    (
        "remove_partner",
        "Entfernt eine mitwirkende Kommune. Die Eigentümerseite (Digitalisierungsbeauftragte der Projektkommune, Kreis-Koordination des Kreises, Admins) oder Digitalisierungsbeauftragte der Partnerkommune für die eigene Kommune.",
    ),
    (
        "accept_partner",
        "Nimmt die Mitwirkungsanfrage einer Kommune an. Nur die Eigentümerseite: Digitalisierungsbeauftragte der Projektkommune, die Kreis-Koordination des Kreises und Admins.",
    ),
    (
        "similar_for_project",
        "Projekte anderer Kommunen, die diesem ähneln, mit Begründung. Alle, die das Projekt sehen dürfen (sonst 404); Treffer nur aus Projekten, die der Aufrufende sehen darf.",
    ),
    (
        "change_status",
        "Setzt den Status eines Projekts im Lebenszyklus weiter (Idee bis in Betrieb, pausiert, abgebrochen), mit Notiz; unerlaubte Schritte ergeben 422, braucht If-Match. Digitalisierungsbeauftragte der eigenen oder einer angenommenen Partnerkommune, die Kreis-Koordination des Kreises und Admins.",
    ),
    (
        "project_timeline",
        "Der Statusverlauf eines Projekts: wer es wann wohin bewegt hat. Alle, die das Projekt sehen dürfen; sonst 404.",
    ),
    (
        "list_updates",
        "Die Fortschrittsberichte eines Projekts, neueste zuerst. Alle, die das Projekt sehen dürfen; sonst 404.",
    ),
    (
        "create_update",
        "Veröffentlicht einen Fortschrittsbericht (Titel, Markdown-Text) zum Projekt. Digitalisierungsbeauftragte der eigenen oder einer angenommenen Partnerkommune, die Kreis-Koordination des Kreises und Admins; Mitarbeitende nicht.",
    ),
    (
        "project_versions",
        "Alle Versionen eines Projekts mit den geänderten Feldern (vorher, nachher), neueste zuerst. Alle, die das Projekt sehen dürfen; sonst 404.",
    ),
    (
        "public_feed",
        "Atom-Feed der 50 zuletzt geänderten öffentlichen Projekte. Öffentlich, ohne Anmeldung; nur Projekte mit Sichtbarkeit öffentlich.",
    ),
    (
        "public_projects",
        "Die öffentlichen Projekte für Besucherinnen und Besucher ohne Konto (Schaufenster), zuletzt geänderte zuerst. Öffentlich, ohne Anmeldung; Projekte anderer Sichtbarkeit erscheinen nicht.",
    ),
    (
        "public_project",
        "Zeigt ein öffentliches Projekt. Öffentlich, ohne Anmeldung; nicht öffentliche Projekte antworten 404.",
    ),
    (
        "get_strategy",
        "Die Digitalisierungsstrategie eines Kreises (kind = district) oder einer Kommune (kind = municipality) mit Zielfeldern, Maßnahmen und berechnetem Fortschritt. Admins und alle Angemeldeten des Kreises, sonst 404; verknüpfte Projekte nur, wenn sichtbar.",
    ),
    (
        "create_goal_field",
        "Fügt einer Strategie ein Zielfeld hinzu; die Strategie entsteht beim ersten Zielfeld. Kreisstrategie: Kreis-Koordination des Kreises und Admins; Strategie einer Kommune: deren Digitalisierungsbeauftragte und Admins.",
    ),
    (
        "list_requests",
        "Unterstützungsanfragen, filterbar nach Status, Kategorie, Kommune, Zuständigen, überfällig und offen. Admins alle, die Kreis-Koordination die ihres Kreises, Digitalisierungsbeauftragte und Mitarbeitende die ihrer Kommune.",
    ),
    (
        "create_request",
        "Stellt eine Unterstützungsanfrage an den Kreis für die eigene Kommune, optional zu einem eigenen oder mitgestalteten Projekt oder einem Förderantrag, an dem sie beteiligt ist. Digitalisierungsbeauftragte der eigenen Kommune, die Kreis-Koordination des Kreises und Admins; Mitarbeitende nicht.",
    ),
    (
        "get_request",
        "Zeigt eine Anfrage mit Gesprächsverlauf. Admins, die Kreis-Koordination des Kreises und Angemeldete der anfragenden Kommune, sonst 404; interne Notizen nur für Kreis-Koordination und Admins.",
    ),
    (
        "assign",
        "Weist eine noch nicht erledigte Anfrage einer aktiven Person der Kreis-Koordination des Kreises zu (auch sich selbst); braucht If-Match. Kreis-Koordination des Kreises und Admins.",
    ),
    (
        "list_support_attachments",
        "Die Anhänge einer Unterstützungsanfrage, neueste zuerst. Alle, die die Anfrage lesen dürfen (anfragende Kommune, Kreis-Koordination, Admins); sonst 404.",
    ),
    (
        "upload_support_attachment",
        "Lädt eine Datei zur Anfrage hoch (Multipart-Feld file). Digitalisierungsbeauftragte der anfragenden Kommune, die Kreis-Koordination des Kreises und Admins; Mitarbeitende nicht.",
    ),
    (
        "download_support_attachment",
        "Lädt einen Anhang einer Anfrage herunter. Alle, die die Anfrage lesen dürfen; sonst 404.",
    ),
    (
        "delete_support_attachment",
        "Entfernt einen Anhang einer Anfrage. Wer ihn hochgeladen hat, die Kreis-Koordination des Kreises und Admins.",
    ),
    (
        "add_message",
        "Schreibt eine öffentliche Antwort oder interne Notiz zur Anfrage; die erste öffentliche Antwort der Kreisseite setzt die Reaktionszeit. Antworten: Digitalisierungsbeauftragte der Kommune, Kreis-Koordination, Admins; interne Notizen nur Kreis-Koordination und Admins.",
    ),
    (
        "change_request_status",
        "Setzt eine Anfrage im Ablauf weiter (zugewiesen → in Arbeit ⇄ wartend → erledigt; zugewiesen wird über assign) oder lehnt sie mit Grund ab; braucht If-Match. Kreis-Koordination des Kreises und Admins.",
    ),
    (
        "workload",
        "Arbeitslast je Person der Kreis-Koordination (zugewiesen, in Arbeit, wartend, überfällig, in 30 Tagen erledigt) und unzugewiesene Anfragen. Kreis-Koordination für den eigenen Kreis, Admins für einen gewählten; andere Angemeldete des Kreises 403.",
    ),
    (
        "list_topics",
        "Die feste Liste der Projektthemen in der Sprache des Angemeldeten. Alle Angemeldeten.",
    ),
    (
        "unsubscribe_page",
        "Bestätigungsseite (HTML) des Abmeldelinks aus einer E-Mail-Zusammenfassung. Öffentlich, ohne Anmeldung.",
    ),
    (
        "unsubscribe",
        "Ein-Klick-Abmeldung nach RFC 8058: schaltet die E-Mail-Zusammenfassungen ab, Sofort-Benachrichtigungen bleiben; der Link gilt einmal. Öffentlich, ohne Anmeldung, das Token ist der Schlüssel.",
    ),
    (
        "list_users",
        "Listet Konten, filterbar nach Kreis, Kommune, Rolle, Aktiv-Status und Name oder E-Mail. Admins alle, die Kreis-Koordination die ihres Kreises, Digitalisierungsbeauftragte und Mitarbeitende die ihrer Kommune.",
    ),
    (
        "get_user",
        "Zeigt ein Konto mit Name, E-Mail, Rolle und Zuordnung. Admins alle, die Kreis-Koordination im eigenen Kreis, Digitalisierungsbeauftragte und Mitarbeitende in der eigenen Kommune; andere antworten 404.",
    ),
    (
        "update_user",
        "Ändert Name, Rolle oder Aktiv-Status eines Kontos; Deaktivieren beendet alle Sitzungen, braucht If-Match. Admins und die Kreis-Koordination für Nicht-Admin-Konten ihres Kreises; das eigene Konto lässt sich hier nicht herabstufen oder deaktivieren.",
    ),
    (
        "healthz",
        "Lebenszeichen: antwortet ok, solange der Dienst läuft. Öffentlich, ohne Anmeldung.",
    ),
    (
        "readyz",
        "Bereitschaftsprüfung: 200, wenn die Datenbank antwortet und der Anhang-Speicher beschreibbar ist, sonst 503. Öffentlich, ohne Anmeldung.",
    ),
    (
        "usage_import_preview",
        "Liest eine CSV-Datei (UTF-8 mit oder ohne BOM, Semikolon oder Komma) und liefert Spaltenüberschriften, einen Vorschlag für die Spaltenzuordnung und die ersten zehn Zeilen; speichert nichts. Digitalisierungsbeauftragte, Kreis-Koordination und Admins (Mitarbeitende: 403).",
    ),
    (
        "usage_create_import",
        "Importiert eine CSV-Datei mit Fallzahlen einer Kommune mit der gewählten Spaltenzuordnung in einer Transaktion: eine fehlerhafte Zeile (unbekannter Leistungsschlüssel, negative Anzahl, ungültiger Monat) ändert nichts, die Fehler nennen Zeile und Spalte. Ein erneuter Import ersetzt die Werte desselben Monats, die alten Werte bleiben im Verlauf. Digitalisierungsbeauftragte der eigenen Kommune, die Kreis-Koordination des Kreises und Admins.",
    ),
    (
        "usage_list_imports",
        "Listet Importe (CSV, Handeingabe, Schnittstelle) mit Datei, Zeilen, ersetzten Werten und wer importiert hat, neueste zuerst. Für eine Kommune, die der Aufrufende pflegen darf, oder ohne Angabe alle seine Kommunen.",
    ),
    (
        "usage_manual_grid",
        "Das Raster der Handeingabe für einen Monat einer Kommune: die Leistungen mit Fallzahlen der letzten zwölf Monate und die von Hand erfassten Papier-, Schalter-, E-Mail- und Telefonfälle. Wer die Kommune pflegen darf.",
    ),
    (
        "usage_save_manual",
        "Speichert die von Hand erfassten Papier-, Schalter-, E-Mail- und Telefonfälle eines Monats (Quelle: Handeingabe) in einer Transaktion; frühere Handeingaben desselben Monats werden ersetzt und bleiben im Verlauf. Wer die Kommune pflegen darf.",
    ),
    (
        "usage_services",
        "Sucht Leistungen im Leistungskatalog (LeiKa) nach Anfang des Leistungsschlüssels oder Teil des Namens, für die Handeingabe und die Spaltenzuordnung. Alle Angemeldeten.",
    ),
    (
        "usage_list_tokens",
        "Die API-Tokens einer Kommune für Fachverfahren und Portale, ohne Geheimnis, mit letzter Nutzung und Widerruf. Wer die Kommune pflegen darf.",
    ),
    (
        "usage_create_token",
        "Erstellt ein API-Token, mit dem ein System Fallzahlen dieser einen Kommune übermitteln darf und sonst nichts; das Geheimnis steht nur in dieser Antwort und wird nur als SHA-256 gespeichert. Wer die Kommune pflegen darf.",
    ),
    (
        "usage_revoke_token",
        "Widerruft ein API-Token sofort; es bleibt mit dem Zeitpunkt des Widerrufs in der Liste. Wer die Kommune pflegen darf.",
    ),
    (
        "usage_push",
        "Übermittelt Fallzahlen eines Systems mit dem API-Token der Kommune (Authorization: Bearer dnu_…) in einer Transaktion; Werte derselben Leistung, desselben Monats und Kanals aus der Schnittstelle werden ersetzt. Nur für die Kommune des Tokens (sonst 403); das Token gilt für keinen anderen Aufruf.",
    ),
    (
        "usage_get_sharing",
        "Zeigt je Leistung, wer die Fallzahlen der Kommune sehen darf: der Kreis (Standard), das ganze Netzwerk oder die Öffentlichkeit. Alle Angemeldeten des Kreises.",
    ),
    (
        "usage_put_sharing",
        "Gibt die Fallzahlen einer Leistung der Kommune für das Netzwerk oder öffentlich frei (dann auch als offene Daten) oder nimmt die Freigabe zurück. Wer die Kommune pflegen darf.",
    ),
    (
        "usage_town_series",
        "Die Monatswerte einer Kommune je Leistung: Fälle je Kanal, Onlinequote, Bearbeitungsdauer und Rückstand; fehlende Monate ohne Werte. Der Kreis sieht alles, andere Angemeldete nur freigegebene Leistungen mit Fallzahlen unter 5 als „< 5“; ohne Freigabe 404.",
    ),
    (
        "usage_town_series_csv",
        "Die Monatswerte einer Kommune als CSV für Excel (Semikolon, UTF-8 mit BOM), eine Zeile je Leistung und Monat; dieselben Sichtbarkeitsregeln wie die JSON-Ansicht.",
    ),
    (
        "usage_heat_map",
        "Die Heatmap des Kreises: Kommunen × Leistungen mit Fällen und Onlinequote im Zeitraum; Fallzahlen von 1 bis 4 werden für alle als „< 5“ ohne Zahl geliefert. Angemeldete des Kreises sehen alle Kommunen, andere nur freigegebene Leistungen.",
    ),
    (
        "usage_heat_map_csv",
        "Die Heatmap des Kreises als CSV für Excel, eine Zeile je Kommune und Leistung, kleine Fallzahlen als „< 5“; dieselben Sichtbarkeitsregeln wie die JSON-Ansicht.",
    ),
    (
        "usage_totals",
        "Die Summen des Kreises je Monat und Kanal mit Onlinequote und Zahl der meldenden Kommunen, über die Fallzahlen, die der Aufrufende sehen darf.",
    ),
    (
        "usage_totals_csv",
        "Die Monatssummen des Kreises als CSV für Excel; dieselben Sichtbarkeitsregeln wie die JSON-Ansicht.",
    ),
    (
        "usage_potential",
        "„Potenzial“: die Leistungen mit dem größten Anteil an Papierfällen im Zeitraum (mindestens 5 Fälle), über die sichtbaren Fallzahlen des Kreises.",
    ),
    (
        "usage_potential_csv",
        "Die Potenzial-Rangliste als CSV für Excel; dieselben Sichtbarkeitsregeln wie die JSON-Ansicht.",
    ),
    (
        "usage_anomalies",
        "„Auffällig“: Kommunen und Leistungen, deren Onlinequote drei Monate in Folge gesunken ist, und solche, deren EfA-Lösung in Betrieb ist, die aber keine Online-Fälle melden; über die sichtbaren Fallzahlen des Kreises.",
    ),
    (
        "usage_anomalies_csv",
        "Die Auffällig-Liste als CSV für Excel; dieselben Sichtbarkeitsregeln wie die JSON-Ansicht.",
    ),
    (
        "usage_maturity_models",
        "Die OZG-Reifegradmodelle (1.1 mit Stufen 0 bis 4, 2.0 mit Stufen 0 bis 7) mit Stufen, Kriterien und Quelle. Alle Angemeldeten.",
    ),
    (
        "usage_create_assessment",
        "Erfasst eine Reifegrad-Bewertung einer Leistung einer Kommune mit Datum, Bewertendem, Nachweis-Link und einer Stufe je Kriterium; die Gesamtstufe ist die des schwächsten Kriteriums, frühere Bewertungen bleiben im Verlauf. Wer die Kommune pflegen darf.",
    ),
    (
        "usage_list_assessments",
        "Der Verlauf der Reifegrad-Bewertungen einer Kommune, neueste zuerst, optional für eine Leistung und ein Modell. Der Kreis sieht alle, andere Angemeldete nur freigegebene Leistungen.",
    ),
    (
        "usage_maturity_matrix",
        "Die Reifegrad-Matrix des Kreises: Kommunen × Leistungen mit der aktuellen Gesamtstufe und „Stufe ≥ 3 in N von M Kommunen“ je Leistung. Der Kreis sieht alle, andere nur freigegebene Leistungen.",
    ),
    (
        "usage_maturity_matrix_csv",
        "Die Reifegrad-Matrix als CSV für Excel, eine Zeile je Leistung und eine Spalte je Kommune; dieselben Sichtbarkeitsregeln wie die JSON-Ansicht.",
    ),
    (
        "usage_open_data",
        "Offene Daten: die von den Kommunen öffentlich freigegebenen Fallzahlen als CSV mit Lizenzhinweis (dl-de/by-2-0) in der ersten Zeile, kleine Fallzahlen als „< 5“. Öffentlich, ohne Anmeldung.",
    ),
    (
        "usage_public_services",
        "Die öffentlich freigegebenen Nutzungsreihen (Kommune × Leistung) mit der Zahl ihrer Monate, für das öffentliche Schaufenster. Öffentlich, ohne Anmeldung.",
    ),
    (
        "usage_efa",
        "Die Nutzung einer EfA-Lösung je nachnutzender Kommune (Fälle und Onlinequote der Leistungen ihrer OZG-IDs im Zeitraum), über die Fallzahlen, die der Aufrufende sehen darf.",
    ),
    (
        "list_process_profiles",
        "Die Steckbriefe eines Prozesses je Kommune und Jahr: Fallzahl, Minuten je Fall, Personal (Hundertstel VZÄ) und die Onlinequote, mit der gerechnet wird, samt Quelle: eingegeben, sonst aus dem Nutzungsmonitor (Online-Fälle / alle Fälle des LeiKa-Schlüssels im Jahr), sonst 0 („keine Angabe“). Alle Nutzenden des Kreises, die den Prozess lesen dürfen; sonst 404.",
    ),
    (
        "put_process_profile",
        "Legt den Steckbrief einer Kommune für ein Jahr an oder ersetzt ihn. Ohne online_share_percent gilt der Wert aus dem Nutzungsmonitor. Digitalisierungsbeauftragte der Kommune, die Kreis-Koordination und Admins; wird protokolliert.",
    ),
    (
        "process_candidates",
        "„Kandidaten für gemeinsame Digitalisierung“: die lesbaren Prozesse des Kreises mit Steckbriefen im Jahr (Standard: das letzte Jahr mit Steckbriefen), geordnet nach Punktzahl = Summe über die Kommunen von Fälle^a × Minuten je Fall^b × (1 − Onlinequote)^c. Die Gewichte a = weight_cases, b = weight_minutes, c = weight_offline sind Exponenten von 0 bis 3 (Standard 1: die Bearbeitungsminuten im Jahr, die noch nicht online laufen; 0 lässt einen Faktor weg, 2 zählt ihn quadratisch); ändern dürfen sie nur Kreis-Koordination und Admins (sonst 403). Gleichstand: nach Name. Je Kandidat: beteiligte (interessierte) Kommunen mit ihren Zahlen, verknüpfte EfA-Lösung und welche Kommunen sie schon betreiben.",
    ),
    (
        "create_process_project_draft",
        "„Projektentwurf anlegen“: legt aus einem Prozess ein Projekt im Status Entwurf an, federführend die gewählte (sonst die eigene, sonst die pflegende, sonst die erste) Kommune, die übrigen gewählten Kommunen als Partner (interessiert), mit OZG-ID, LeiKa-Schlüssel in der Beschreibung und Verknüpfung zum Prozess. Wer für die federführende Kommune Projekte anlegen darf; wird protokolliert.",
    ),
    (
        "get_continuity_sheet",
        "Die Notfallkarte einer Kommune zu einem Prozess: Kritikalität (A/B/C), maximal tolerierbare Ausfallzeit, Ausweichlösung (Papier, manuelles Verfahren, Partnerkommune), Kontakte, benötigte Systeme, letzte Bestätigung. Vor dem ersten Speichern eine leere Karte mit Version 0. Nur Nutzende dieser Kommune, die Kreis-Koordination und Admins; sonst 404.",
    ),
    (
        "put_continuity_sheet",
        "Speichert eine Notfallkarte; braucht If-Match (\"0\" beim ersten Speichern). Die Partnerkommune muss zum selben Kreis gehören und eine andere Kommune sein. Digitalisierungsbeauftragte der Kommune, die Kreis-Koordination und Admins; wird protokolliert.",
    ),
    (
        "confirm_continuity_sheet",
        "Bestätigt, dass die Kontakte einer Notfallkarte aktuell sind; die vierteljährliche Erinnerung in der Zusammenfassung beginnt von vorn (fällig nach 90 Tagen). Wer die Karte bearbeiten darf.",
    ),
    (
        "list_continuity_exercises",
        "Die Notfallübungen zu einer Notfallkarte, neueste zuerst. Wer die Karte lesen darf.",
    ),
    (
        "create_continuity_exercise",
        "Erfasst eine Notfallübung mit Datum (Pflicht) und Notiz; sie erscheint im Kalender-Abonnement (ICS) der Kommune und der Kreis-Koordination. Wer die Karte bearbeiten darf.",
    ),
    (
        "continuity_offline_export",
        "Alle Notfallkarten einer Kommune als eine eigenständige HTML-Datei zum Herunterladen (Notfallkarten-<Kommune>.html): Stile eingebettet, kein Skript, keine externe Adresse, öffnet ohne Server und Netz. Nur Nutzende dieser Kommune, die Kreis-Koordination und Admins; sonst 404.",
    ),
    (
        "list_processes",
        "Die Prozesse des Registers, die die anfragende Person lesen darf (Sichtbarkeit wie bei Projekten: Kommune, Kreis, Netzwerk, öffentlich), nach Name, seitenweise. Suche (q) in Name, Leistungsschlüssel und Wissensseite mit derselben deutschen Analyse wie die Projektsuche; ein 14-stelliger Suchtext sucht den LeiKa-Schlüssel. Filter nach Themenfeld und Kommune (pflegt, hat eine Stelle oder eine Variante). Alle Angemeldeten.",
    ),
    (
        "export_processes_csv",
        "Das Register als CSV für Excel (UTF-8 mit BOM, Semikolon) mit den Filtern der Liste: Name, Schlüssel, Themenfeld, Federführung, Sichtbarkeit, Rechtsgrundlage, Formulare, Fachverfahren, EfA-Lösung, zuständige Stellen, Modellversionen. Enthält nur, was die anfragende Person lesen darf.",
    ),
    (
        "process_deviations",
        "„Abweichungen im Kreis“: je Prozess und Schritt, wie viele Kommunen ihn in ihrer aktuellen lokalen Variante geändert haben (hinzugefügt, entfernt, umbenannt), die häufigsten zuerst. Nur über Prozesse, die die anfragende Person lesen darf; Kreis des Nutzers (Admins wählen ihn), sonst 404.",
    ),
    (
        "import_processes",
        "Importiert das Prozessregister einer Kommune aus CSV (Spalten Name, Leistungsschlüssel, Amt, Fallzahl, Minuten je Fall; Semikolon oder Komma) nach der Regel aller Importe: jede Zeile wird zuerst geprüft, bei einem Fehler wird nichts gespeichert und jede fehlerhafte Zeile mit Spalte genannt. Eine Zeile gehört zum Prozess des Kreises mit demselben Schlüssel (sonst Namen) oder legt ihn an (gepflegt von der Kommune, sichtbar im Kreis); sie setzt die zuständige Stelle und mit Fallzahlen den Steckbrief des Jahres. Digitalisierungsbeauftragte der Kommune, die Kreis-Koordination und Admins; wird protokolliert.",
    ),
    (
        "similar_processes",
        "„Wer baut das schon?“ für Prozesse: dokumentierte Prozesse anderer Kommunen (oder des Kreises), die einem Projektentwurf ähneln (gleiche OZG-Leistung, ähnliche Wörter), mit Begründung. Nur Prozesse, die die anfragende Person lesen darf.",
    ),
    (
        "create_process",
        "Legt einen Prozess an (Objekt und Verrichtung, LeiKa-Schlüssel, OZG-ID, Themenfeld, Rechtsgrundlage, Formulare, Fachverfahren, EfA-Lösung, Wissensseite in Markdown, Sichtbarkeit). Pflegende Kommune: die angegebene, für Digitalisierungsbeauftragte die eigene, sonst der Kreis. Admins, die Kreis-Koordination und Digitalisierungsbeauftragte für ihre Kommune; wird protokolliert.",
    ),
    (
        "get_process",
        "Ein Prozess mit zuständigen Stellen je Kommune, verknüpften Projekten (nur sichtbare), Wissensseite als Markdown und bereinigtes HTML und den Rechten der anfragenden Person. Mit ETag; wer ihn nicht lesen darf, bekommt 404.",
    ),
    (
        "update_process",
        "Ändert die mitgeschickten Felder eines Prozesses (nicht mitgeschickte bleiben); braucht If-Match. Admins, die Kreis-Koordination und Digitalisierungsbeauftragte der pflegenden Kommune; wird protokolliert.",
    ),
    (
        "put_process_office",
        "Setzt die zuständige Stelle (Amt) einer Kommune für einen Prozess; ein leerer Text entfernt sie. Digitalisierungsbeauftragte dieser Kommune, die Kreis-Koordination und Admins; wird protokolliert.",
    ),
    (
        "put_process_projects",
        "Ersetzt die mit dem Prozess verknüpften Projekte; nur Projekte, die die anfragende Person lesen darf (Verknüpfungen zu anderen bleiben unberührt). Wer den Prozess bearbeiten darf; wird protokolliert.",
    ),
    (
        "list_process_models",
        "Die Modellversionen eines Prozesses: Referenzmodelle und lokale Varianten der Kommunen mit ihren Aktivitäten, Version, Herkunft und Zahl der Abweichungen. Wer den Prozess lesen darf.",
    ),
    (
        "upload_process_model",
        "Lädt ein BPMN-2.0-Modell hoch (multipart: file, kind = reference oder local, bei local municipality_id und derived_from). Geprüft: höchstens 5 MB, wohlgeformtes UTF-8-XML, Wurzel „definitions“ im BPMN-2.0-Namensraum, keine DOCTYPE- oder ENTITY-Deklaration; eine abgelehnte Datei ändert nichts und bekommt eine deutsche Meldung. Eine lokale Variante wird mit ihrem Referenzmodell verglichen (Aktivitäten nach id: hinzugefügt, entfernt, umbenannt). Referenzmodelle: wer den Prozess bearbeiten darf; Varianten: Digitalisierungsbeauftragte der Kommune, die Kreis-Koordination und Admins.",
    ),
    (
        "download_process_bpmn",
        "Das Modell als BPMN-2.0-XML zum Herunterladen (.bpmn), unverändert wie hochgeladen. Wer den Prozess lesen darf.",
    ),
    (
        "process_model_comparison",
        "Der Variantenvergleich: eine lokale Variante neben der Referenzversion, von der sie abgeleitet ist, mit jeder Abweichung, der Begründung der Kommune und dem Stand (übernommen, angepasst, eigener Prozess). Wer den Prozess lesen darf; für ein Referenzmodell 400.",
    ),
    (
        "update_process_difference",
        "Setzt Begründung und Stand (adopted, adapted, own_process) einer Abweichung. Digitalisierungsbeauftragte der Kommune der Variante, die Kreis-Koordination und Admins; wird protokolliert.",
    ),
    (
        "list_process_files",
        "Die Anhänge der Wissensseite eines Prozesses. Wer den Prozess lesen darf.",
    ),
    (
        "upload_process_file",
        "Lädt einen Anhang zur Wissensseite hoch (PDF, ODT, DOCX, XLSX, PNG, JPEG bis 20 MB, geprüft am Inhalt). Wer den Prozess bearbeiten darf; wird protokolliert.",
    ),
    (
        "download_process_file",
        "Lädt einen Anhang der Wissensseite herunter (nie im Browser angezeigt). Wer den Prozess lesen darf; sonst 404.",
    ),
    (
        "delete_process_file",
        "Entfernt einen Anhang der Wissensseite. Wer den Prozess bearbeiten darf; wird protokolliert.",
    ),
    (
        "auth_methods",
        "Wie man sich anmelden kann: ob das Passwortformular angeboten wird (LOCAL_LOGIN) und je Anmeldedienst (OpenID Connect) Kennung und Beschriftung für „Anmelden mit …“. Öffentlich, ohne Anmeldung.",
    ),
    (
        "oidc_start",
        "Beginnt die Anmeldung bei einem Anmeldedienst: legt einen Anmeldeversuch an (state, nonce, PKCE), bindet ihn mit dem Cookie dn_sso an diesen Browser und leitet mit 303 zum Anbieter weiter. ziel ist nur ein Pfad dieser Seite. 503, wenn der Anbieter nicht erreichbar ist. Öffentlich.",
    ),
    (
        "oidc_callback",
        "Rückkehr vom Anmeldedienst: prüft state, die Bindung an den Browser und iss (RFC 9207), verbraucht den Versuch (ein zweiter Aufruf scheitert), tauscht den Code, prüft das ID-Token (Signatur, Aussteller, Zielgruppe, Ablauf, nonce), ordnet Gemeinde und Rolle zu und meldet an (Konto wird beim ersten Mal angelegt, verwaltete Felder werden übernommen). Danach 303 nach /anmelden/fertig, /anmelden/verknuepfen oder /anmelden?sso_fehler=…; Ablehnungen werden protokolliert, ohne dass ein Konto entsteht.",
    ),
    (
        "oidc_attempt",
        "Ergebnis eines Anmeldeversuchs der letzten zehn Minuten: Zustand, deutscher Ablehnungsgrund und was fehlt (Gemeinde, Rolle, Gruppe …), keine Ansprüche. Die E-Mail des zu verknüpfenden Kontos nur für den Browser des Versuchs. Öffentlich.",
    ),
    (
        "oidc_link",
        "Verknüpft die Identität eines Anmeldeversuchs einmalig mit dem bestehenden Konto gleicher, beim Anbieter bestätigter E-Mail-Adresse, wenn dessen Passwort stimmt (gezählt wie eine Anmeldung); danach ist man angemeldet (Refresh-Cookie). Nur im Browser des Versuchs.",
    ),
    (
        "oidc_backchannel_logout",
        "OpenID Connect Back-Channel Logout: der Anbieter sendet ein signiertes Logout-Token (Formularfeld logout_token); die Sitzungen dieser Anbieter-Sitzung (sid) oder dieses Subjekts enden sofort. Ein schon gesehenes Token (jti), ein Token mit nonce oder eine falsche Signatur ergeben 400. Aufgerufen vom Anbieter, ohne Anmeldung.",
    ),
    (
        "sso_dry_run",
        "Probelauf der Zuordnung eines Anmeldedienstes: nimmt Ansprüche als JSON oder ein eingefügtes ID-Token (ungeprüft, ohne Signaturprüfung) und zeigt Gemeinde, Rolle oder die Ablehnung Schritt für Schritt. Schreibt nichts. Nur Admins.",
    ),
    (
        "scim_service_provider_config",
        "SCIM 2.0: was dieser Dienst unterstützt (PATCH, Filter auf userName und externalId). Nur mit dem SCIM-Token des Anbieters.",
    ),
    (
        "scim_list_users",
        "SCIM 2.0: die vom Anbieter verwalteten Benutzer, gefiltert mit userName eq \"…\" oder externalId eq \"…\" (ListResponse). Nur mit dem SCIM-Token des Anbieters (sonst 401).",
    ),
    (
        "scim_create_user",
        "SCIM 2.0: legt einen Benutzer an (userName = E-Mail, Gemeinde und Rolle aus der Erweiterung urn:digitalnetzwerk:params:scim:schemas:extension:2.0:User oder roles); 409 uniqueness bei Dubletten. Nur mit dem SCIM-Token des Anbieters.",
    ),
    (
        "scim_get_user",
        "SCIM 2.0: ein Benutzer des Anbieters; nach DELETE 404. Nur mit dem SCIM-Token des Anbieters.",
    ),
    (
        "scim_replace_user",
        "SCIM 2.0: ersetzt einen Benutzer; active=false deaktiviert ihn und beendet alle seine Sitzungen sofort. Nur mit dem SCIM-Token des Anbieters.",
    ),
    (
        "scim_patch_user",
        "SCIM 2.0 PatchOp (add, replace, remove; mit und ohne path; auch Replace und \"False\" wie von Entra ID); active=false deaktiviert und beendet alle Sitzungen sofort. Nur mit dem SCIM-Token des Anbieters.",
    ),
    (
        "scim_delete_user",
        "SCIM 2.0: deaktiviert einen Benutzer (Sitzungen enden sofort) und blendet ihn für SCIM aus (204, danach 404); Konto und Verlauf bleiben. Nur mit dem SCIM-Token des Anbieters.",
    ),
];
