# English interface phrases. The message id of a field of `Ui` is the field's name with
# hyphens (`skip_to_content` → `skip-to-content`); the fields of `Decide` start with
# `decide-`. Phrases with arguments are used by `Lang` in src/i18n.rs.

## Ui

skip-to-content = Skip to content
nav-label = Main
home = Home
answers = Answers
certifications = Certifications
breadcrumb = Breadcrumb
published = Published
last-reviewed = Last reviewed
by = By
related-information = Related information
expert-insight = Expert insight
about-the-author = About the author
topics = Topics
related-answers = Related answers
course = Course
courses = Courses
latest-answers = Latest answers
all-answers = All answers
catalog = Certification catalog
not-found-title = Page not found
not-found-text = We could not find that page. It may have moved, or the address may be mistyped.
bad-request-title = Bad request
server-error-title = Something went wrong
unavailable-title = Please try again in a moment
too-many-title = Too many requests
too-large-title = Too much data
server-error-text = The server could not complete the request. Please try again in a moment.
previous = Previous
next = Next
page = Page
filter = Filter
vendor = Vendor
level = Level
status = Status
any = Any
apply = Apply
topic = Topic
no-results = Nothing matches these filters.
code = Exam
title = Title
credential = Credential
scope = Scope
exam-length = Exam length
minutes = minutes
skills-measured = Skills measured
domain = Domain
weight = Weight
technologies = Technologies
roles = Roles
prerequisites = Prerequisites
prerequisites-any = Holding any one of these satisfies the prerequisite.
none = None
lifecycle = Lifecycle
successor = Successor
sources = Sources
checked-on = checked on
unconfirmed = unconfirmed
unconfirmed-note = Facts marked unconfirmed come from sources that disagree or could not be verified against the vendor's official pages.
answers-about = Answers about
duration = Duration
days = days
price = Price
delivery = Delivery
sessions = Sessions
no-sessions = No sessions are scheduled at the moment.
starts-on = Starts on
location = Location
language = Language
seats = Seats
prepares-for = Prepares for
credentials = Credentials
written-answers = Answers
footer-note = Facts are derived from the certification catalog, with sources and the dates they were checked.
forbidden-title = Request refused
cookie-settings = Cookie settings
consent-title = Cookies on this site
consent-text = We use cookies that this site needs to work. With your consent we also use cookies to remember preferences, to count visits and for marketing. Nothing beyond the necessary is loaded until you choose, and you can change your choice at any time under Cookie settings.
consent-changed = Our cookie policy has changed since you last chose, so we ask again. Policy version now in force:
accept-all = Accept all
reject-all = Reject all
customize = Customize
save-choices = Save my choices
withdraw = Withdraw consent
close = Close
saved = Your choices are saved.
back = Back to the page you were reading
consent-necessary = Necessary
consent-necessary-text = Always active. These cookies make the site work and remember your cookie choice; they are never used for tracking and cannot be switched off.
consent-cookie-purpose = Remembers your cookie choice, signed so that it cannot be altered
session-cookie-purpose = Keeps staff logged in to the editors' area; set only when they log in there
session-cookie-lifetime = 12 hours at most
consent-preferences = Preferences
consent-preferences-text = Remember settings such as your language so you do not have to set them again.
consent-analytics = Analytics
consent-analytics-text = Count visits and see which answers help, so we can improve them.
consent-marketing = Marketing
consent-marketing-text = Measure our campaigns and show you relevant course offers elsewhere.
consent-allow = Allow
consent-no-services = No services use this category at the moment.
consent-needs-script = On this copy of the site your choices are kept by your browser with JavaScript. Without JavaScript no optional service is loaded, so there is nothing to choose.
consent-storage-purpose = Remembers your cookie choice in this browser (local storage, not a cookie); never sent to us
consent-gpc = Your browser sends a Global Privacy Control signal. We treat it as a refusal of everything beyond the necessary, unless you choose otherwise here.
consent-current = Your current choice
consent-granted = allowed
consent-not-granted = not allowed
service = Service
purpose = Purpose
cookies = Cookies
lifetime = Lifetime
third-party-host = Third-party host
first-party = none (served by this site)
gone-title = No longer available
ask-about-course = Ask about this course
request-place = Request a place
next-sessions = Next sessions
taught-by = Taught by
price-note = Price note
inquiry-title = Ask about this course
inquiry-intro = Send us your question or request a place; we answer by email, usually within two working days.
your-name = Your name
your-email = Email
your-company = Company (optional)
your-message = Message (optional)
session = Session
any-session = No particular session
inquiry-agree = You may contact me about this inquiry.
inquiry-privacy = What we keep of your inquiry, and for how long, is in our
send-inquiry = Send
thanks-title = Thank you
thanks-text = Your inquiry has reached us. We answer by email, usually within two working days.
back-to-course = Back to the course
inquiry-problems = Please check the fields marked below.
problem-missing = Please fill this in.
problem-email = Please enter an email address like name@example.com.
problem-control = Please keep this to one line, without special characters.
problem-session = That session is no longer open for requests. Please choose another one, or none.
problem-agree = Please tick this box so that we may answer you.
has-upcoming = Only courses with upcoming sessions
website-trap = Leave this field empty
home-title = Certification answers you can check
site-purpose = Straight answers about IT certification exams — which one fits your role, what changed, and which course prepares you — with every fact sourced and dated.
browse-catalog = Browse the catalog
retiring-soon = Retiring soon
retiring-soon-text = These exams retire shortly. Book the exam before the date, or plan for the successor.
families = Certifications by vendor and level
topics-text = Every subject our answers cover, with the answers and certifications of each.
courses-text = Instructor-led courses that prepare for the certifications in our catalog.
imprint = Imprint
privacy = Privacy
about = About
contact = Contact
aspect = Aspect
compare-jump = Compare the certifications side by side
notice-retiring = Exam retiring
notice-retired = Exam retired
notice-stale = Facts changed since this answer was written
successor-is = Its successor is
consent-short = Necessary cookies keep this site working. Others, for preferences, analytics and marketing, only with your consent.
privacy-notice = Privacy notice
site-nav = Site

## Decide: the comparison, the advisor and the team planner

decide-compare = Compare
decide-compare-title = Side by side
decide-and-word = and
decide-compare-side-by-side = Compare side by side
decide-compare-with = Compare with
decide-compare-with-note = Exams readers often weigh against this one:
decide-at-a-glance = At a glance
decide-skills-chart = What each exam measures
decide-skills-chart-note = Each bar is one skills domain: the dark part is its lowest weight, the light part the range up to its highest.
decide-as-table = The same numbers as a table
decide-weight-range = Weight
decide-exam = Exam
decide-coverage-heading = How much of each exam is about each responsibility
decide-coverage-note = A responsibility counts as covered when at least 10% of the exam is about it.
decide-responsibility = Responsibility
decide-covered = covered
decide-shared-technologies = Technologies in all of them
decide-only-in = Only in
decide-nothing-shared = None in common.
decide-order-heading = Prerequisites and the order to take them
decide-order-note = A prerequisite first, then lower levels before higher.
decide-needs-one-of = take first:
decide-no-domains = The catalog has no skills outline for this exam yet.
decide-course-and-price = Course
decide-no-course = No course yet
decide-advisor = Advisor
decide-decide-heading = Find the right exam
decide-advisor-title = Which certification fits your role?
decide-advisor-lead = Tell us what your job involves and how much. We rank the exams by how much of each is about your work, and propose a path with our courses.
decide-advisor-teaser = Not sure which exam fits? Tell the advisor what your job involves.
decide-your-responsibilities = What your job involves
decide-emphasis-none = Not my job
decide-emphasis-1 = A small part
decide-emphasis-2 = A regular part
decide-emphasis-3 = A main part
decide-held-heading = Certifications you hold
decide-held-note = They are left out of your path and count towards its prerequisites.
decide-show-advice = Show my advice
decide-ranked-heading = Exams ranked for your role
decide-score = Fit
decide-path-heading = Your path
decide-path-note = Prerequisites first, then lower levels before higher. Each step with the course that prepares for it.
decide-step-prerequisite-of = Prerequisite of
decide-step-replaces = Replaces
decide-step-retiring = Retires on
decide-no-successor = has retired and has no successor in the catalog.
decide-uncovered = No exam in the catalog covers:
decide-total-days = Total days of training
decide-total-price = Total price
decide-without-course = No course yet for
decide-nothing-fits = No exam in the catalog measures these responsibilities.
decide-pick-one = Choose at least one responsibility, then show your advice.
decide-unknown-inputs = Some of the link's choices are not in the catalog and were left out:
decide-share-link = This page's address keeps your choices: share it or bookmark it.
decide-change-choices = Change your choices
decide-planner = Team planner
decide-planner-title = Plan your team's training
decide-planner-lead = Paste or upload a list of your people with their responsibilities. You get each person's path, the mismatches of exams already assigned, and the team's days and budget.
decide-planner-teaser = Training a team? Plan everyone's path at once.
decide-csv-label = Your team as CSV
decide-csv-help = One row per person with the columns name, responsibilities, held (optional) and assigned (optional). Separate the items of a list with | (or with ; when the columns are separated by commas). A weight 1–3 may follow an id: device-fleet:3.
decide-file-label = Or upload a CSV file (UTF-8)
decide-plan-button = Plan the training
decide-example = Example
decide-responsibility-ids = Responsibility ids
decide-team-heading = The team
decide-people = People
decide-people-per-course = Courses and places
decide-ask-places = Ask about places for
decide-person = Each person
decide-assigned = Assigned
decide-mismatches = Mismatches
decide-no-mismatch = The assigned exam fits.
decide-mismatch-coverage = Little of the work
decide-mismatch-prerequisite = Prerequisite missing
decide-mismatch-lifecycle = Retiring or retired
decide-rows-skipped = Rows that could not be planned
decide-line = Line
decide-download-csv = Download the plan as CSV
decide-print = Print
decide-names-not-kept = Names are used for this answer only: they are never stored or logged.
decide-plan-again = Change the list

## Phrases with arguments (`Lang`'s methods)

# Lang::days, Lang::answers_count
days-count = { $n ->
    [one] { $n } day
   *[other] { $n } days
}
answers-count = { $n ->
    [one] { $n } answer
   *[other] { $n } answers
}

# The rows of the Related information table (Lang::aspect)
aspect-scope = Scope
aspect-course = Course
aspect-technologies = Technologies
aspect-lifecycle = Lifecycle
aspect-choose = Choose it if

# One side of a Related information line (Lang::fact)
fact-scope = { $scope } scope
fact-course = { $days }-day course, { $price }
fact-no-course = no course offered
fact-choose = Choose { $code } if: { $when }

# Lang::lifecycle
lifecycle-beta = beta
lifecycle-active = active
lifecycle-retiring = retiring on { $date }
lifecycle-retiring-successor = retiring on { $date }, successor { $successor }
lifecycle-retired-on = retired on { $date }
lifecycle-retired-on-successor = retired on { $date }, successor { $successor }
lifecycle-retired = retired
lifecycle-retired-successor = retired, successor { $successor }

# Lang::retirement: the notice on pages about a retiring or retired exam
retirement-tomorrow = { $code } retires tomorrow, on { $date }.
retirement-in-days = { $code } retires in { $days } days, on { $date }.
retirement-on = { $code } retires on { $date }.
retired-on = { $code } retired on { $date }.
retired-undated = { $code } is retired.

# Lang::stale: why an answer may be out of date
stale-retired = Written before { $code } retired on { $date }: { stale-tail }
stale-status = Written before the status of { $code } changed from { $from } to { $to } on { $date }: { stale-tail }
stale-retires-on-set = Written before { $code } was given a retirement date, { $to }, on { $date }: { stale-tail }
stale-retires-on-moved = Written before the retirement date of { $code } moved from { $from } to { $to } on { $date }: { stale-tail }
stale-retires-on-removed = Written before the retirement date of { $code } was withdrawn on { $date }: { stale-tail }
stale-successor = Written before { $to } was named the successor of { $code } on { $date }: { stale-tail }
stale-successor-removed = Written before the successor of { $code } was withdrawn on { $date }: { stale-tail }
stale-domains = Written before the skills measured by { $code } changed on { $date }: { stale-tail }
stale-course-price = Written before the price of a course for { $code } changed from { $from } to { $to } on { $date }: { stale-tail }
stale-course-duration = Written before the duration of a course for { $code } changed from { $from } to { $to } { $to ->
        [one] day
       *[other] days
    } on { $date }: { stale-tail }
stale-tail = the facts on this page are current, parts of the text may not be.

# Lang::level
level-fundamentals = Fundamentals
level-associate = Associate
level-professional = Professional
level-expert = Expert
level-specialty = Specialty

# Lang::delivery
delivery-classroom = Classroom
delivery-virtual = Virtual classroom
delivery-self-paced = Self-paced

# Lang::language_name: the languages of sessions
language-en = English
language-de = German
language-fr = French
language-it = Italian

# Lang::explain: why an exam fits a reader
explain-covers-one = it covers your one responsibility
explain-covers-none = it does not cover your responsibility
explain-covers = it covers { $covered } of your { $of } responsibilities
explain-weighted-highest = which you weighted highest
explain-rated = which you rated “{ $emphasis }”
explain-focus = { $percent }% of the exam is about “{ $responsibility }”, { $weighted }; { $coverage }.
explain-nothing = None of the exam is about the responsibilities you chose.

# Lang::places_message: the message an inquiry for a team's places starts with
places-message = { $people ->
    [one] We would like a place for 1 person.
   *[other] We would like places for { $people } people.
}

# Lang::mismatch: a mismatch of an assigned exam
mismatch-coverage = { $assigned } fits this person's responsibilities { $score } of 100; { $better } fits them { $better_score } of 100 and covers more of their work.
mismatch-prerequisite-one = { $assigned } requires { $code } first, and this person holds none of them.
mismatch-prerequisite-many = { $assigned } requires one of { $codes } first, and this person holds none of them.
mismatch-prerequisite-one-unconfirmed = { $assigned } requires { $code } first, and this person holds none of them (prerequisite unconfirmed).
mismatch-prerequisite-many-unconfirmed = { $assigned } requires one of { $codes } first, and this person holds none of them (prerequisite unconfirmed).
mismatch-retiring = { $assigned } retires on { $date }, in { $days }.
mismatch-retiring-successor = { $assigned } retires on { $date }, in { $days }; its successor is { $successor }.
mismatch-retired = { $assigned } retired.
mismatch-retired-on = { $assigned } retired on { $date }.
mismatch-retired-successor = { $assigned } retired; its successor is { $successor }.
mismatch-retired-on-successor = { $assigned } retired on { $date }; its successor is { $successor }.

## Notices of forms

problem-too-long = Please keep this to { $max } characters or fewer.
notice-form-expired = This form has expired or was not issued by this site; nothing was sent. Your text is kept below: please send it again.
notice-inquiry-unsaved = We could not save your inquiry just now (our database is busy or out of space); nothing was sent. Your text is kept below: please send it again in a moment.
notice-inquiry-rate = Too many inquiries from your address in one minute; yours was not sent. Please send it again in { $seconds } seconds — your text is kept below.
notice-plan-rate = Too many plans from your address in one minute; please send the list again in { $seconds } seconds — it is kept below.

## The language switcher

language-switcher = Language

## Search: the header's search box, the search page and its errors

search-search = Search
search-label = Search answers, exams and courses
search-button = Search
search-title = Search
search-results-for = Search results for
search-lead = Search the answers, certifications, courses and topics. Exam codes work however you type them (md102, MD 102, md-102).
search-kind = Show
search-answers = Answers
search-certifications = Certifications
search-courses = Courses
search-topics = Topics
search-nothing = Nothing matches your search. Check the spelling, use fewer words, or start from one of these.
search-try-these = Browse by topic
search-latest-answers = Latest answers
search-suggestions = Suggestions
search-not-ready = Search is starting up. Please try again in a second.
search-filters = Filters
search-count = { $n ->
    [one] { $n } result
   *[other] { $n } results
}

## A certification's lifecycle as a badge

status-beta = beta
status-active = active
status-retiring = retiring
status-retired = retired

## Search: a query too long to read
search-too-long = the search is { $length } characters long; at most { $max } are read
