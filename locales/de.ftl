# Deutsche Oberflächentexte (Schweiz: "ss" statt Eszett, Anrede "Sie"). Die Message-IDs und
# ihr Zweck sind in en.ftl beschrieben; Platzhalter wie `{ $code }` bleiben unverändert.

## Ui

skip-to-content = Zum Inhalt springen
nav-label = Hauptnavigation
home = Startseite
answers = Antworten
certifications = Zertifizierungen
breadcrumb = Navigationspfad
published = Veröffentlicht am
last-reviewed = Zuletzt geprüft am
by = Von
related-information = Zugehörige Informationen
expert-insight = Einschätzung aus der Praxis
about-the-author = Zur Person
topics = Themen
related-answers = Ähnliche Antworten
course = Kurs
courses = Kurse
latest-answers = Neueste Antworten
all-answers = Alle Antworten
catalog = Zertifizierungskatalog
not-found-title = Seite nicht gefunden
not-found-text = Wir konnten diese Seite nicht finden. Vielleicht wurde sie verschoben, oder die Adresse ist falsch geschrieben.
bad-request-title = Ungültige Anfrage
server-error-title = Etwas ist schiefgelaufen
unavailable-title = Bitte versuchen Sie es gleich noch einmal
too-many-title = Zu viele Anfragen
too-large-title = Zu viele Daten
server-error-text = Der Server konnte die Anfrage nicht ausführen. Bitte versuchen Sie es gleich noch einmal.
previous = Zurück
next = Weiter
page = Seite
filter = Filter
vendor = Hersteller
level = Stufe
status = Status
any = Alle
apply = Anwenden
topic = Thema
no-results = Keine Treffer für diese Filter.
code = Prüfung
title = Titel
credential = Zertifikat
scope = Umfang
exam-length = Prüfungsdauer
minutes = Minuten
skills-measured = Geprüfte Kompetenzen
domain = Bereich
weight = Gewichtung
technologies = Technologien
roles = Rollen
prerequisites = Voraussetzungen
prerequisites-any = Eine dieser Zertifizierungen genügt als Voraussetzung.
none = Keine
lifecycle = Lebenszyklus
successor = Nachfolger
sources = Quellen
checked-on = geprüft am
unconfirmed = unbestätigt
unconfirmed-note = Als unbestätigt markierte Fakten stammen aus Quellen, die sich widersprechen oder nicht mit den offiziellen Seiten des Herstellers abgeglichen werden konnten.
answers-about = Antworten zu
duration = Dauer
days = Tage
price = Preis
delivery = Durchführung
sessions = Termine
no-sessions = Zurzeit sind keine Termine geplant.
starts-on = Beginn
location = Ort
language = Sprache
seats = Plätze
prepares-for = Vorbereitung auf
credentials = Qualifikationen
written-answers = Antworten
footer-note = Die Fakten stammen aus dem Zertifizierungskatalog, mit Quellen und dem Datum ihrer Überprüfung.
forbidden-title = Anfrage abgelehnt
cookie-settings = Cookie-Einstellungen
consent-title = Cookies auf dieser Website
consent-text = Wir verwenden Cookies, die diese Website zum Funktionieren braucht. Mit Ihrer Einwilligung verwenden wir zudem Cookies, um Einstellungen zu speichern, Besuche zu zählen und für Marketing. Bis Sie entscheiden, wird nichts über das Notwendige hinaus geladen, und Sie können Ihre Wahl jederzeit unter Cookie-Einstellungen ändern.
consent-changed = Unsere Cookie-Richtlinie hat sich seit Ihrer letzten Wahl geändert, deshalb fragen wir erneut. Aktuell gültige Version:
accept-all = Alle akzeptieren
reject-all = Alle ablehnen
customize = Anpassen
save-choices = Auswahl speichern
withdraw = Einwilligung widerrufen
close = Schliessen
saved = Ihre Auswahl ist gespeichert.
back = Zurück zur Seite, die Sie gelesen haben
consent-necessary = Notwendig
consent-necessary-text = Immer aktiv. Diese Cookies sorgen dafür, dass die Website funktioniert, und speichern Ihre Cookie-Wahl; sie dienen nie dem Tracking und lassen sich nicht abschalten.
consent-cookie-purpose = Speichert Ihre Cookie-Wahl, signiert, damit sie nicht verändert werden kann
session-cookie-purpose = Hält Mitarbeitende im Redaktionsbereich angemeldet; wird nur dort beim Anmelden gesetzt
session-cookie-lifetime = höchstens 12 Stunden
consent-preferences = Präferenzen
consent-preferences-text = Speicherung von Einstellungen wie Ihrer Sprache, damit Sie diese nicht erneut festlegen müssen.
consent-analytics = Statistik
consent-analytics-text = Zählung der Besuche und Auswertung, welche Antworten helfen, damit wir sie verbessern können.
consent-marketing = Marketing
consent-marketing-text = Messung unserer Kampagnen und passende Kursangebote für Sie auf anderen Websites.
consent-allow = Erlauben
consent-no-services = Zurzeit nutzt kein Dienst diese Kategorie.
consent-needs-script = Auf dieser Kopie der Website speichert Ihr Browser Ihre Wahl mit JavaScript. Ohne JavaScript wird kein optionaler Dienst geladen, es gibt also nichts zu wählen.
consent-storage-purpose = Speichert Ihre Cookie-Auswahl in diesem Browser (lokaler Speicher, kein Cookie); wird nie an uns gesendet
consent-gpc = Ihr Browser sendet ein Global-Privacy-Control-Signal. Wir werten es als Ablehnung von allem, was über das Notwendige hinausgeht, ausser Sie entscheiden hier anders.
consent-current = Ihre aktuelle Wahl
consent-granted = erlaubt
consent-not-granted = nicht erlaubt
service = Dienst
purpose = Zweck
cookies = Cookies
lifetime = Speicherdauer
third-party-host = Host eines Drittanbieters
first-party = keiner (von dieser Website bereitgestellt)
gone-title = Nicht mehr verfügbar
ask-about-course = Zu diesem Kurs anfragen
request-place = Platz anfragen
next-sessions = Nächste Termine
taught-by = Kursleitung
price-note = Hinweis zum Preis
inquiry-title = Anfrage zu diesem Kurs
inquiry-intro = Senden Sie uns Ihre Frage oder fragen Sie einen Platz an; wir antworten per E-Mail, meist innert zwei Arbeitstagen.
your-name = Ihr Name
your-email = E-Mail
your-company = Firma (optional)
your-message = Nachricht (optional)
session = Termin
any-session = Kein bestimmter Termin
inquiry-agree = Sie dürfen mich zu dieser Anfrage kontaktieren.
inquiry-privacy = Was wir von Ihrer Anfrage aufbewahren und wie lange, steht in unserer
send-inquiry = Senden
thanks-title = Vielen Dank
thanks-text = Ihre Anfrage ist bei uns eingegangen. Wir antworten per E-Mail, meist innert zwei Arbeitstagen.
back-to-course = Zurück zum Kurs
inquiry-problems = Bitte prüfen Sie die unten markierten Felder.
problem-missing = Bitte füllen Sie dieses Feld aus.
problem-email = Bitte geben Sie eine E-Mail-Adresse wie name@example.com ein.
problem-control = Bitte nur eine Zeile, ohne Sonderzeichen.
problem-session = Für diesen Termin sind keine Anfragen mehr möglich. Bitte wählen Sie einen anderen oder keinen.
problem-agree = Bitte kreuzen Sie dieses Feld an, damit wir Ihnen antworten dürfen.
has-upcoming = Nur Kurse mit kommenden Terminen
website-trap = Dieses Feld leer lassen
home-title = Nachprüfbare Antworten zu Zertifizierungen
site-purpose = Klare Antworten zu IT-Zertifizierungsprüfungen – welche zu Ihrer Rolle passt, was sich geändert hat und welcher Kurs Sie vorbereitet –, jede Angabe mit Quelle und Datum.
browse-catalog = Katalog durchsuchen
retiring-soon = Bald eingestellt
retiring-soon-text = Diese Prüfungen werden in Kürze eingestellt. Legen Sie die Prüfung vor dem Stichtag ab oder planen Sie den Nachfolger ein.
families = Zertifizierungen nach Hersteller und Stufe
topics-text = Alle Themen unserer Antworten, jeweils mit den zugehörigen Antworten und Zertifizierungen.
courses-text = Kurse mit Kursleitung, die auf die Zertifizierungen in unserem Katalog vorbereiten.
imprint = Impressum
privacy = Datenschutz
about = Über uns
contact = Kontakt
aspect = Aspekt
compare-jump = Die Zertifizierungen im direkten Vergleich
notice-retiring = Prüfung wird eingestellt
notice-retired = Prüfung eingestellt
notice-stale = Fakten haben sich seit dieser Antwort geändert
successor-is = Der Nachfolger ist
consent-short = Notwendige Cookies halten die Website am Laufen; alle anderen nur mit Ihrer Einwilligung.
privacy-notice = Datenschutzerklärung
site-nav = Website

## Decide: Vergleich, Berater und Teamplaner

decide-compare = Vergleich
decide-compare-title = Im direkten Vergleich
decide-and-word = und
decide-compare-side-by-side = Direkt vergleichen
decide-compare-with = Vergleichen mit
decide-compare-with-note = Prüfungen, die oft gegen diese abgewogen werden:
decide-at-a-glance = Auf einen Blick
decide-skills-chart = Was jede Prüfung abfragt
decide-skills-chart-note = Jeder Balken ist ein Kompetenzbereich: Der dunkle Teil zeigt seine niedrigste Gewichtung, der helle die Spanne bis zur höchsten.
decide-as-table = Dieselben Zahlen als Tabelle
decide-weight-range = Gewichtung
decide-exam = Prüfung
decide-coverage-heading = Wie viel jeder Prüfung auf welche Aufgabe entfällt
decide-coverage-note = Eine Aufgabe gilt als abgedeckt, wenn mindestens 10 % der Prüfung sie betreffen.
decide-responsibility = Aufgabe
decide-covered = abgedeckt
decide-shared-technologies = Technologien in allen Prüfungen
decide-only-in = Nur in
decide-nothing-shared = Keine gemeinsamen.
decide-order-heading = Voraussetzungen und Reihenfolge
decide-order-note = Zuerst die Voraussetzungen, dann tiefere Stufen vor höheren.
decide-needs-one-of = zuerst ablegen:
decide-no-domains = Der Katalog enthält noch keine Kompetenzübersicht für diese Prüfung.
decide-course-and-price = Kurs
decide-no-course = Noch kein Kurs
decide-advisor = Berater
decide-decide-heading = Die passende Prüfung finden
decide-advisor-title = Welche Zertifizierung passt zu Ihrer Rolle?
decide-advisor-lead = Sagen Sie uns, was Ihre Arbeit umfasst und in welchem Mass. Wir ordnen die Prüfungen danach, wie viel davon Ihre Arbeit betrifft, und schlagen einen Lernpfad mit unseren Kursen vor.
decide-advisor-teaser = Unsicher, welche Prüfung passt? Sagen Sie dem Berater, was Ihre Arbeit umfasst.
decide-your-responsibilities = Was Ihre Arbeit umfasst
decide-emphasis-none = Nicht meine Aufgabe
decide-emphasis-1 = Gelegentlich
decide-emphasis-2 = Regelmässig
decide-emphasis-3 = Hauptsächlich
decide-held-heading = Ihre Zertifizierungen
decide-held-note = Sie entfallen in Ihrem Lernpfad und gelten als erfüllte Voraussetzungen.
decide-show-advice = Empfehlung anzeigen
decide-ranked-heading = Prüfungen nach Eignung für Ihre Rolle
decide-score = Eignung
decide-path-heading = Ihr Lernpfad
decide-path-note = Zuerst die Voraussetzungen, dann tiefere Stufen vor höheren. Zu jedem Schritt der Kurs, der darauf vorbereitet.
decide-step-prerequisite-of = Voraussetzung für
decide-step-replaces = Ersetzt
decide-step-retiring = Wird eingestellt am
decide-no-successor = wurde eingestellt und hat im Katalog keinen Nachfolger.
decide-uncovered = Keine Prüfung im Katalog deckt ab:
decide-total-days = Schulungstage insgesamt
decide-total-price = Gesamtpreis
decide-without-course = Noch kein Kurs für
decide-nothing-fits = Keine Prüfung im Katalog misst diese Aufgaben.
decide-pick-one = Wählen Sie mindestens eine Aufgabe und lassen Sie sich dann die Empfehlung anzeigen.
decide-unknown-inputs = Einige Angaben aus dem Link sind nicht im Katalog und wurden ignoriert:
decide-share-link = Die Adresse dieser Seite enthält Ihre Auswahl: Teilen Sie sie oder setzen Sie ein Lesezeichen.
decide-change-choices = Auswahl ändern
decide-planner = Teamplaner
decide-planner-title = Die Weiterbildung Ihres Teams planen
decide-planner-lead = Fügen Sie eine Liste Ihrer Mitarbeitenden mit ihren Aufgaben ein oder laden Sie sie hoch. Sie erhalten den Lernpfad jeder Person, die Unstimmigkeiten bereits zugewiesener Prüfungen sowie die Tage und das Budget des Teams.
decide-planner-teaser = Ein ganzes Team schulen? Planen Sie alle Lernpfade auf einmal.
decide-csv-label = Ihr Team als CSV
decide-csv-help = Eine Zeile pro Person mit den Spalten name, responsibilities (Aufgaben), held (vorhandene Zertifizierungen, optional) und assigned (zugewiesene Prüfungen, optional). Trennen Sie die Einträge einer Liste mit | (oder mit ;, wenn die Spalten durch Kommas getrennt sind). Auf eine ID kann eine Gewichtung 1–3 folgen: device-fleet:3.
decide-file-label = Oder eine CSV-Datei hochladen (UTF-8)
decide-plan-button = Weiterbildung planen
decide-example = Beispiel
decide-responsibility-ids = IDs der Aufgaben
decide-team-heading = Das Team
decide-people = Personen
decide-people-per-course = Kurse und Plätze
decide-ask-places = Plätze anfragen für
decide-person = Pro Person
decide-assigned = Zugewiesen
decide-mismatches = Unstimmigkeiten
decide-no-mismatch = Die zugewiesene Prüfung passt.
decide-mismatch-coverage = Passt kaum zur Arbeit
decide-mismatch-prerequisite = Voraussetzung fehlt
decide-mismatch-lifecycle = Wird oder wurde eingestellt
decide-rows-skipped = Zeilen, die nicht geplant werden konnten
decide-line = Zeile
decide-download-csv = Plan als CSV herunterladen
decide-print = Drucken
decide-names-not-kept = Namen werden nur für diese Antwort verwendet: Sie werden nie gespeichert oder protokolliert.
decide-plan-again = Liste ändern

## Texte mit Argumenten (Methoden von `Lang`)

# Lang::days, Lang::answers_count
days-count = { $n ->
    [one] { $n } Tag
   *[other] { $n } Tage
}
answers-count = { $n ->
    [one] { $n } Antwort
   *[other] { $n } Antworten
}

# Die Zeilen der Tabelle «Zugehörige Informationen» (Lang::aspect)
aspect-scope = Umfang
aspect-course = Kurs
aspect-technologies = Technologien
aspect-lifecycle = Lebenszyklus
aspect-choose = Wählen, wenn

# Eine Seite einer Zeile der zugehörigen Informationen (Lang::fact)
fact-scope = Bereich { $scope }
fact-course = { $days }-tägiger Kurs, { $price }
fact-no-course = kein Kurs im Angebot
fact-choose = Wählen Sie { $code }, wenn: { $when }

# Lang::lifecycle
lifecycle-beta = Beta
lifecycle-active = aktiv
lifecycle-retiring = wird am { $date } eingestellt
lifecycle-retiring-successor = wird am { $date } eingestellt, Nachfolger { $successor }
lifecycle-retired-on = eingestellt am { $date }
lifecycle-retired-on-successor = eingestellt am { $date }, Nachfolger { $successor }
lifecycle-retired = eingestellt
lifecycle-retired-successor = eingestellt, Nachfolger { $successor }

# Lang::retirement: der Hinweis auf Seiten zu einer Prüfung, die eingestellt wird oder wurde
retirement-tomorrow = { $code } wird morgen, am { $date }, eingestellt.
retirement-in-days = { $code } wird in { $days } Tagen, am { $date }, eingestellt.
retirement-on = { $code } wird am { $date } eingestellt.
retired-on = { $code } wurde am { $date } eingestellt.
retired-undated = { $code } ist eingestellt.

# Lang::stale: warum eine Antwort veraltet sein kann
stale-retired = Geschrieben, bevor { $code } am { $date } eingestellt wurde: { stale-tail }
stale-status = Geschrieben, bevor sich der Status von { $code } am { $date } von „{ $from }“ zu „{ $to }“ änderte: { stale-tail }
stale-retires-on-set = Geschrieben, bevor { $code } am { $date } ein Einstellungsdatum erhielt, den { $to }: { stale-tail }
stale-retires-on-moved = Geschrieben, bevor das Einstellungsdatum von { $code } am { $date } vom { $from } auf den { $to } verschoben wurde: { stale-tail }
stale-retires-on-removed = Geschrieben, bevor das Einstellungsdatum von { $code } am { $date } zurückgenommen wurde: { stale-tail }
stale-successor = Geschrieben, bevor { $to } am { $date } als Nachfolger von { $code } genannt wurde: { stale-tail }
stale-successor-removed = Geschrieben, bevor der Nachfolger von { $code } am { $date } zurückgenommen wurde: { stale-tail }
stale-domains = Geschrieben, bevor sich die geprüften Fähigkeiten von { $code } am { $date } änderten: { stale-tail }
stale-course-price = Geschrieben, bevor sich der Preis eines Kurses zu { $code } am { $date } von { $from } auf { $to } änderte: { stale-tail }
stale-course-duration = Geschrieben, bevor sich die Dauer eines Kurses zu { $code } am { $date } von { $from } auf { $to } { $to ->
        [one] Tag
       *[other] Tage
    } änderte: { stale-tail }
stale-tail = Die Fakten auf dieser Seite sind aktuell, Teile des Textes womöglich nicht.

# Lang::level (Microsofts Stufenbezeichnungen bleiben englisch)
level-fundamentals = Fundamentals
level-associate = Associate
level-professional = Professional
level-expert = Expert
level-specialty = Specialty

# Lang::delivery
delivery-classroom = Präsenzunterricht
delivery-virtual = Virtuelles Klassenzimmer
delivery-self-paced = Selbststudium

# Lang::language_name: die Sprachen der Termine
language-en = Englisch
language-de = Deutsch
language-fr = Französisch
language-it = Italienisch

# Lang::explain: warum eine Prüfung zu jemandem passt
explain-covers-one = sie deckt Ihre einzige Aufgabe ab
explain-covers-none = sie deckt Ihre Aufgabe nicht ab
explain-covers = sie deckt { $covered } Ihrer { $of } Aufgaben ab
explain-weighted-highest = von Ihnen am höchsten gewichtet
explain-rated = von Ihnen als «{ $emphasis }» eingestuft
explain-focus = { $percent } % der Prüfung betreffen «{ $responsibility }», { $weighted }; { $coverage }.
explain-nothing = Kein Teil der Prüfung betrifft die von Ihnen gewählten Aufgaben.

# Lang::places_message: der Anfang einer Anfrage nach Plätzen für ein Team
places-message = { $people ->
    [one] Wir möchten einen Platz für 1 Person anfragen.
   *[other] Wir möchten Plätze für { $people } Personen anfragen.
}

# Lang::mismatch: eine Unstimmigkeit einer zugewiesenen Prüfung
mismatch-coverage = { $assigned } passt mit { $score } von 100 Punkten zu den Aufgaben dieser Person; { $better } erreicht { $better_score } von 100 und deckt mehr von ihrer Arbeit ab.
mismatch-prerequisite-one = { $assigned } setzt zuerst { $code } voraus, und diese Person besitzt diese Zertifizierung nicht.
mismatch-prerequisite-many = { $assigned } setzt zuerst eine von { $codes } voraus, und diese Person besitzt keine davon.
mismatch-prerequisite-one-unconfirmed = { $assigned } setzt zuerst { $code } voraus, und diese Person besitzt diese Zertifizierung nicht (Voraussetzung unbestätigt).
mismatch-prerequisite-many-unconfirmed = { $assigned } setzt zuerst eine von { $codes } voraus, und diese Person besitzt keine davon (Voraussetzung unbestätigt).
mismatch-retiring = { $assigned } wird am { $date } eingestellt (noch { $days }).
mismatch-retiring-successor = { $assigned } wird am { $date } eingestellt (noch { $days }); Nachfolger ist { $successor }.
mismatch-retired = { $assigned } wurde eingestellt.
mismatch-retired-on = { $assigned } wurde am { $date } eingestellt.
mismatch-retired-successor = { $assigned } wurde eingestellt; Nachfolger ist { $successor }.
mismatch-retired-on-successor = { $assigned } wurde am { $date } eingestellt; Nachfolger ist { $successor }.

## Hinweise der Formulare

problem-too-long = Bitte höchstens { $max } Zeichen.
notice-form-expired = Dieses Formular ist abgelaufen oder stammt nicht von dieser Website; es wurde nichts gesendet. Ihr Text steht unten: Bitte senden Sie ihn noch einmal.
notice-inquiry-unsaved = Wir konnten Ihre Anfrage gerade nicht speichern (unsere Datenbank ist ausgelastet oder voll); es wurde nichts gesendet. Ihr Text steht unten: Bitte senden Sie ihn gleich noch einmal.
notice-inquiry-rate = Zu viele Anfragen von Ihrer Adresse innert einer Minute; Ihre wurde nicht gesendet. Bitte senden Sie sie in { $seconds } Sekunden noch einmal – Ihr Text steht unten.
notice-plan-rate = Zu viele Pläne von Ihrer Adresse innert einer Minute; bitte senden Sie die Liste in { $seconds } Sekunden noch einmal – sie steht unten.

## The language switcher

language-switcher = Sprache

## Suche: das Suchfeld im Kopf, die Suchseite und ihre Fehler

search-search = Suche
search-label = Antworten, Prüfungen und Kurse durchsuchen
search-button = Suchen
search-title = Suche
search-results-for = Suchergebnisse für
search-lead = Durchsuchen Sie Antworten, Zertifizierungen, Kurse und Themen. Prüfungscodes werden gefunden, wie auch immer Sie sie schreiben (md102, MD 102, md-102).
search-kind = Anzeigen
search-answers = Antworten
search-certifications = Zertifizierungen
search-courses = Kurse
search-topics = Themen
search-nothing = Nichts passt zu Ihrer Suche. Prüfen Sie die Schreibweise, verwenden Sie weniger Wörter oder beginnen Sie bei einem dieser Einstiege.
search-try-these = Nach Thema stöbern
search-latest-answers = Neueste Antworten
search-suggestions = Vorschläge
search-not-ready = Die Suche startet gerade. Bitte versuchen Sie es in einer Sekunde noch einmal.
search-filters = Filter
search-count = { $n ->
    [one] { $n } Treffer
   *[other] { $n } Treffer
}

## Der Lebenszyklus einer Zertifizierung als Etikett

status-beta = Beta
status-active = aktiv
status-retiring = läuft aus
status-retired = eingestellt

## Suche: eine zu lange Anfrage
search-too-long = Die Suche ist { $length } Zeichen lang; gelesen werden höchstens { $max }.
