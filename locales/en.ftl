# Nastavnik — English locale. Keys match ru.ftl.

## Commands (descriptions in the Telegram menu)
cmd-start = Main menu
cmd-help = What the bot can do
cmd-cancel = Cancel the current action
cmd-language = Change language

## General
start-welcome =
    Hello, { $name }!
    I am Nastavnik, the mentoring assistant of your kindergarten: young teachers find a mentor, agree on meetings and get support, and the curator sees how the work goes.
start-menu-hint = Commands are in the menu next to the input field. Help: /help
help =
    <b>What Nastavnik can do</b>
    /start — main menu
    /language — change the language (русский / English)
    /cancel — stop the current dialog
    /help — this help

    Ask your kindergarten's curator about the mentoring programme.
cancel-done = OK, cancelled.
cancel-nothing = There is nothing to cancel right now.
language-choose = Choose the language:
language-set = Done: I now speak English.
language-otherwise = Please choose a language with the buttons below the message, or send /cancel.
language-ru = Русский
language-en = English
error-generic = Sorry, something went wrong and the action was not completed. Please try again a little later; if it happens again, we already know about it.
callback-expired = This button no longer works.
unknown-command = I don't know that command. The list of commands: /help
cmd-profile = My profile
cmd-privacy = What data is stored and why
cmd-mydata = Download my data (JSON)
cmd-deleteme = Delete my data
cmd-invite = Invite teachers
cmd-joins = Join requests

## Dialogs
dialog-use-buttons = Please choose with the buttons under the last message, or send /cancel.
dialog-text-expected = Please answer with text (or send /cancel to stop).
not-registered = You are not registered yet. Send /start to begin.
not-allowed = This action is not available to you.

## Registration
onboarding-welcome = Hello! I am Nastavnik, the mentoring assistant of your kindergarten. Registration takes a couple of minutes.
consent-pd-text =
    <b>Consent to the processing of personal data</b> (version { $version })

    I consent to the operator — the educational organization I work for — processing my personal data in the Telegram bot Nastavnik: full name; year of birth; position; teaching experience; qualification category; education profile; place of work; Telegram id and username; my requests, survey answers and records of mentoring meetings.

    Purpose: organizing the mentoring of teaching staff: the mentee base and the mentor registry, forming mentoring pairs, planning meetings, monitoring the programme.

    The data is kept until the consent is withdrawn. You can withdraw it at any time with /deleteme: your data will be erased and only anonymised totals remain. To see what is stored: /privacy and /mydata.

    This consent is separate from consents to publishing materials and to taking part in a mentoring pair; the bot asks for those separately when needed.
consent-agree = ✅ I consent
consent-refuse = I do not consent
consent-refused = Understood. Without consent the bot cannot store your data, so registration stops here. Your refusal is recorded (with no other data). If you change your mind, send /start.
profile-intro = Thank you! Now a few questions for your profile. Role: { $role }.
profile-ask-fullName = What is your name? Write your full name (for example: Maria Petrovna Ivanova).
profile-ask-birthYear = Year of birth (four digits, for example 1998)?
profile-ask-position = Your position:
profile-ask-positionOther = Write your position:
profile-ask-experienceYears = How many years have you worked as a teacher? Write a number (0 if less than a year).
profile-ask-qualificationCategory = Qualification category:
profile-ask-educationProfile = Education profile:
profile-error-name-length = The name must be 5 to 100 characters. Write your full name.
profile-error-name-format = Please write your full name in letters: 2–4 words, no digits or symbols (for example: Maria Petrovna Ivanova).
profile-error-birth-year = Write the year of birth with four digits, for example 1998.
profile-error-experience = Write the experience as a number of years from 0 to 60, for example 2.
profile-error-position-other = Write the position: 3 to 80 characters.
profile-years = { $n } { $n ->
        [one] year
       *[other] years
    }
profile-label-fullName = Full name
profile-label-birthYear = Year of birth
profile-label-position = Position
profile-label-experienceYears = Experience
profile-label-qualificationCategory = Category
profile-label-educationProfile = Education
profile-label-organization = Organization
profile-label-role = Role
summary-title = Please check your data
summary-confirm = ✅ All correct
position-educator = Educator
position-senior_educator = Senior educator
position-music_director = Music director
position-pe_instructor = PE instructor
position-speech_therapist = Speech therapist
position-psychologist = Psychologist
position-defectologist = Special-needs teacher
position-methodologist = Methodologist
position-head = Head of kindergarten
position-other = Other
category-none = No category
category-meets_position = Meets the position
category-first = First
category-highest = Highest
category-teacher_mentor = Teacher-mentor
category-teacher_methodologist = Teacher-methodologist
education-pedagogical = Pedagogical
education-non_core = Non-core
education-retraining = Retraining
role-mentee = mentee
role-mentor = mentor
role-curator = curator
role-admin = admin
org-search-ask = Write the name of your kindergarten (for example: "Детский сад 27" or "Белоевский").
org-search-none = Nothing found for "{ $query }". Try writing the name differently.
org-search-results = Found: { $total } (page { $page } of { $pages }). Choose your organization:
org-search-again = 🔎 Search again
org-chosen = Organization: <b>{ $name }</b>
onboarding-done = Done! You are registered: { $role }, { $organization }.
onboarding-pending = Done! Your request to join { $organization } was sent to the curator. I will tell you when it is decided.
invite-invalid = This invitation link is not valid. Ask the curator for a new one.
invite-role-added = Invitation accepted: you now have the role "{ $role }" in { $organization }.

## Menu
menu-title = Main menu
menu-who = { $name }, { $organization }
menu-no-roles = none yet
menu-pending = ⏳ Your request to join { $organization } awaits the curator.
menu-profile = 👤 Profile
menu-privacy = 🔒 My data
menu-invite = ✉️ Invite
menu-joins = 📥 Requests
menu-language = 🌐 Language

## Profile
profile-title = Your profile
profile-save = 💾 Save
profile-close = Close
profile-saved = Profile saved.
profile-unchanged = Profile unchanged.

## Invitations and join requests
invite-pick-org = Which organization is the invitation for?
invite-pick-role = Invitation to { $organization }. Whom do you invite?
invite-pick-uses = How many people may use the link?
invite-uses = { $n ->
        [one] { $n } person
       *[other] up to { $n } people
    }
invite-pick-ttl = How long is the link valid?
invite-days = { $n } { $n ->
        [one] day
       *[other] days
    }
invite-created =
    The invitation is ready: { $organization }, role "{ $role }", uses: { $uses }, valid for { $days } days.
    Forward this link to the teachers:
    { $link }
invite-revoke = Revoke the invitation
invite-revoked = Invitation revoked.
invite-already-revoked = The invitation is already revoked.
join-request-new = 📥 Join request: { $name } wants to join { $organization } as a mentee.
join-approve = ✅ Approve
join-reject = Reject
join-already-decided = This request has already been decided.
join-approved-curator = ✅ Request approved: { $name }.
join-rejected-curator = Request rejected: { $name }.
join-approved = The curator approved your request: you take part in the mentoring programme of { $organization }. Menu: /start
join-rejected = The curator of { $organization } rejected the request. If this is a mistake, contact the curator in person.
joins-none = No new requests.

## Data
privacy-text =
    <b>What Nastavnik stores and why</b>
    • Telegram id and username, language: to answer you and send reminders.
    • Profile: full name, year of birth, position, experience, category, education, organization: for the mentee base and the mentor registry, and to find a mentor.
    • Roles and organization: to show you only what you may see.
    • Consents: which text (version) you accepted or withdrew, and when.
    • Join requests, mentoring requests, meetings and survey answers: for the work of pairs and programme monitoring.
    Only you, your mentor or mentee (within the pair) and the curator of your organization or network see them.

    /mydata — download everything stored as a JSON file.
    /deleteme — erase your data (only anonymised totals remain).
mydata-caption = All the data Nastavnik stores about you.
mydata-none = No data about you is stored.
deleteme-confirm = Erase all your personal data? Open requests and pairs will be ended, reminders cancelled, and pair partners will get a neutral notice. Only anonymised totals remain. This cannot be undone.
deleteme-yes = Yes, erase my data
deleteme-no = No, keep it
deleteme-cancelled = OK, nothing was erased.
deleteme-done = Your personal data has been erased. Thank you for being with us. Send /start if you want to come back.

## Requests and matching
cmd-request = Ask for a mentor
cmd-mentor = Mentor profile
cmd-requests = Open requests
cmd-mentors = Mentor registry
menu-request = 🙋 I need help
menu-mentor = 🧑‍🏫 Mentor profile
menu-requests = 📋 Requests
menu-mentors = 📚 Mentors
picker-done = Done ✔️
picker-none = nothing selected
picker-skip = Skip
picker-min = Choose at least { $n }.
picker-max = You can choose at most { $n }.
yes = Yes
no = No
text-length-error = Please use { $min } to { $max } characters (now { $length }).
request-mentees-only = Mentees can ask for a mentor. If you need help, ask your curator for an invitation.
request-ask-topics = What do you need help with? Choose a section, then 1–3 topics (or "Other").
request-topic-other = ✍️ Other (write it)
request-chosen = Chosen
request-ask-group-items = Tick the topics (at most { $max } in total):
request-ask-other = Describe the topic briefly (3–200 characters):
request-error-other = The topic must be 3 to 200 characters.
request-ask-description = Describe the situation: what happens and what you would like to get (10–1000 characters).
request-error-description = The description must be { $min } to { $max } characters, now { $length }.
request-ask-kind = What kind of help do you need?
kind-flash = A one-off flash session
kind-long_term = A long-term pair with a programme (3–12 months)
kind-question = A quick question
request-ask-mode = Meeting format:
mode-in_person = In person
mode-online = Online
mode-any = Any
request-ask-days = Which days suit you? (you may skip: "Done")
request-ask-parts = What time of day?
weekday-1 = Mon
weekday-2 = Tue
weekday-3 = Wed
weekday-4 = Thu
weekday-5 = Fri
weekday-6 = Sat
weekday-7 = Sun
daypart-morning = Morning 8–12
daypart-day = Day 12–16
daypart-evening = Evening 16–20
request-summary-title = Your request
request-label-topics = Topics
request-label-description = Situation
request-label-kind = Help
request-label-mode = Format
request-label-times = Convenient time
request-times-any = any
request-confirm = ✅ Send
request-discard = Cancel
request-discarded = The request was not sent.
request-saved = ✅ Request saved.
request-cards-title = <b>Suitable mentors</b> (contacts are shown once a mentor accepts):
request-choose = Choose { $n }
request-any = Whoever is free first
request-choice-stale = This choice is no longer valid.
request-sent-one = The request was sent to the mentor. If they do not answer by { $deadline }, I will offer it to the next one.
request-sent-any = The request was sent to several mentors at once: the first to accept becomes your mentor.
request-escalated-mentee = No suitable mentor was found yet, so the request went to the curator, who will find one.
request-closed-mentee = The curator closed your request. If you still need help, send a new one: /request
reason-topics = topics: { $topics }
reason-same_org = your kindergarten
reason-network = a mentor of your kindergarten network
reason-availability = convenient times match (~{ $hours } h a week)
reason-rating = usefulness rating { $avg } ({ $n } reviews)
reason-load = free places: { $free } of { $capacity }
reason-responsive = answers requests quickly
offer-new =
    📨 <b>New mentoring request</b>
    { $mentee }, { $organization }
    Topics: { $topics }
    Situation: { $description }
    Format: { $kind }; { $mode }
    { $hasTimes ->
        [yes] The mentee's convenient time: { $days }; { $parts } (in the mentee's time zone)
       *[no] The mentee's convenient time: any
    }
    Please answer by { $deadline }.
offer-accept = ✅ Accept
offer-decline = Decline
offer-ask = ❓ Ask a question
offer-answer = ✍️ Answer
offer-reminder =
    ⏰ Reminder: a request awaits your answer.
    { $mentee }: { $description }
offer-expired = The time to answer the request is over; it went to another mentor.
offer-withdrawn = Another mentor has already accepted the request, thank you!
offer-declined = OK, the request moves on. Thank you for answering!
offer-already_answered = This offer has already been answered.
offer-taken = Another mentor has already taken this request.
offer-full = You have no free places (capacity reached); the request moves on.
offer-ask-decline-reason = You may give a short reason for declining (optional):
offer-decline-no-reason = No reason
offer-ask-question = Write your question; I will pass it to the mentee:
offer-question-sent = Question sent. The answer will arrive here.
offer-question = ❓ A mentor asks about your request: { $question }
offer-ask-answer = Write your answer to the mentor:
offer-answer-sent = Your answer was passed to the mentor.
offer-answer-relayed =
    The mentee's answer to your question "{ $question }":
    { $answer }
pair-formed-mentee = 🎉 A mentor accepted your request: { $name }. Contact: { $contact }. Please confirm your consent to the mentoring pair assignment.
pair-formed-mentor = 🎉 The pair is formed: your mentee is { $name }. Contact: { $contact }. Please confirm your consent to the pair assignment and the additional mentor duties.
pair-consent = ✍️ Consent to the pair assignment
pair-consent-text =
    <b>Consent to the mentoring pair assignment</b>

    I, { $name }, consent to the assignment of a mentoring pair at { $organization }: { $role ->
        [mentor] I am the mentor, the mentee is { $partner }.
       *[mentee] I am the mentee, the mentor is { $partner }.
    }
    Form of mentoring: { $kind }. Term: { $term }.
    { $role ->
        [mentor] Mentor's duties: draft and run the personalised program with the mentee, hold meetings and log their outcome, help with professional difficulties, answer the curator's surveys.
       *[mentee] Mentee's duties: take part in drafting the personalised program and follow its plan, come to the meetings, answer short surveys on their usefulness.
    }
    Basis: the regulation on the mentoring system of { $organization }, article 351.8 of the Labour Code of the Russian Federation. { $role ->
        [mentor] Mentoring is additional work assigned only with written consent; its extra pay or bonuses are set by the organization's local regulation.
       *[mentee] The mentee's participation is not paid separately.
    }
    The consent can be withdrawn by telling the curator; the pair is then ended.
pair-consent-agree = ✅ I agree
pair-consent-ask = ❓ Question to the curator
pair-consent-asked = The curator got your question and will contact you. You can consent later with the button under the consent text.
pair-consent-question-curator = ❓ { $name } ({ $role ->
        [mentor] mentor
       *[mentee] mentee
    }, in a pair with { $partner }) wants to ask about the pair assignment before consenting. Contact: { $contact }.
pair-consent-already = Consent is already recorded.
pair-consent-recorded = Consent recorded. Thank you!
pair-reassigned-mentor = The curator passed your mentee to another mentor. Thank you for your work!
request-escalated =
    ⚠️ <b>A request without a mentor</b>
    { $mentee }, { $organization }
    Topics: { $topics }
    { $description }
request-open = Open the request
requests-none = No open requests.
requests-title = <b>Open requests</b>: { $total } (page { $page } of { $pages })
request-card-title = Request
request-assign = Assign a mentor
request-reassign = Reassign
request-close = Close the request
request-closed = Request closed.
status-new = new
status-offered = offered to a mentor
status-matched = pair formed
status-escalated = awaits the curator
status-cancelled = cancelled
status-closed = closed
age-hours = { $n } h
age-days = { $n } d
assign-pick = Whom to assign? ✅ meets the filters, ⚠️ needs a stated reason.
assign-no-mentors = The registry has no mentors for this organization.
assign-done = The mentor is assigned; the pair is formed.
assign-not_allowed = This action is not available to you.
assign-state = The request has changed meanwhile; refresh the list: /requests
assign-full = This mentor has no free places.
assign-filters = The matching conditions are not met.
assign-filters-failed = This mentor does not meet the matching conditions: { $failures }.
assign-ask-reason = To assign anyway, write the reason (5–500 characters) or send /cancel.
filter-not_approved = not approved by a curator
filter-paused = paused
filter-capacity = no free places
filter-mode = a different meeting format
filter-organization = another organization outside the network
filter-self = the mentee themself
filter-excluded = already declined this request
mentor-load = { $active }/{ $capacity }
mentors-none = The registry has no mentors yet.
mentors-title = <b>Mentor registry</b> ({ $total }):
mentor-state-pending = awaits approval
mentor-state-paused = paused
mentor-state-full = at capacity
mentor-state-ready = ready
mentor-approved = Mentor approved.
mentor-already-approved = Already approved.
mentor-approved-notice = The curator approved your mentor profile: you will now receive requests.
mentor-only = The mentor profile is for teachers with the mentor role. Ask your curator for a mentor invitation.
mentor-intro-new = Let's fill in your mentor profile for the registry.
mentor-intro-edit = Let's update your mentor profile (current values are ticked).
mentor-ask-competences = Which topics can you help with? Choose a section and tick the topics.
mentor-ask-group-items = Tick the topics:
mentor-ask-capacity = How many mentees can you take at once?
mentor-ask-forms = Forms of mentoring:
form-individual = Individual
form-group = Group
form-flash = Flash sessions
form-reverse = Reverse
mentor-ask-mode = Meeting format:
mentor-ask-days = Which days can you meet? (time zone { $zone })
mentor-ask-parts = What time of day?
mentor-ask-network = Are you ready to help teachers of other kindergartens of your network?
mentor-ask-pause = Are you taking requests now?
mentor-pause-none = Yes, I am
mentor-pause-date = Pause until a date
mentor-ask-pause-date = Until which date? For example: 15.12.2026
mentor-error-pause-date = Write a future date as DD.MM.YYYY, for example 15.12.2026.
mentor-saved = Mentor profile saved.
mentor-saved-pending = Mentor profile saved and sent to the curator for approval.
mentor-label-competences = Topics
mentor-label-capacity = Capacity
mentor-approval-request = 🧑‍🏫 A new mentor in the registry: { $name }. Topics: { $topics }. Approve for matching?
mentor-approve = ✅ Approve
counterpart-left = The other member of your mentoring pair has left the programme; the pair has ended. If you need a new pair, use /request or contact the curator.

## Meetings
cmd-session = Arrange a meeting
cmd-sessions = My meetings
menu-session = 📅 Meeting
menu-sessions = 🗓 My meetings
session-no-pair = Meetings are arranged within a mentoring pair. You have no pair yet: /request
session-pick-pair = Whom are you meeting?
session-reschedule-intro = Rescheduling "{ $topic }": propose a new time.
session-ask-topic = Topic of the meeting with { $name }:
session-ask-topic-text = Write the topic (3–200 characters):
session-ask-duration = Duration:
session-minutes = { $n } min
session-ask-mode = Format:
session-ask-place = Where do you meet? (room, group, address)
session-ask-link = Link to the online meeting (or where to find it):
session-ask-slots = Propose up to three times (time zone { $zone }). Tick suitable ones or type your own.
session-type-time = ✍️ Type a time
session-ask-time-text = Write the date and time ({ $zone }), for example: 24.11 15:30, tomorrow 15:30, wednesday 13:30, 2026-11-24 15:30.
session-need-slot = Choose or type at least one time.
session-failed = Could not propose the meeting: check that the pair is active and the time is in the future.
session-proposed =
    Proposal sent. To: { $name }. Options:
    { $slots }
datetime-error-format = I don't understand the date. Write, for example: 24.11 15:30, tomorrow 15:30 or 24.11.2026 15:30.
datetime-error-past = That time has passed. Give a future time.
datetime-error-too_far = Too far ahead: at most one year from now.
datetime-error-invalid_date = There is no such date. Check the day and the month.
meeting-proposed =
    📅 { $name } proposes a meeting: "{ $topic }", { $duration } min, { $place }.
    Choose a time (shown in your time zone):
meeting-reproposed =
    📅 { $name } proposes to move the meeting "{ $topic }". Choose a new time (in your time zone):
meeting-other-times = 🔁 Other times
meeting-other-times-asked = { $name } asks for other times.
meeting-propose-again = 📅 Propose again
meeting-confirmed =
    ✅ Meeting confirmed: { $when }
    Topic: { $topic }. With: { $with }. Place: { $place }.
    The calendar file is attached.
meeting-moved =
    🔁 Meeting moved: { $when }
    Topic: { $topic }. With: { $with }. Place: { $place }.
meeting-cancelled = ❌ The meeting on { $when } ("{ $topic }") is cancelled.
meeting-cancel = Cancel
meeting-reschedule = Reschedule
meeting-cancel-done = Meeting cancelled.
meeting-stale = This button no longer applies.
meeting-past = That time has passed; ask for another.
meeting-reminder =
    ⏰ Reminder: meeting { $when } — "{ $topic }", { $with }, { $place }.
meeting-attend = 👍 I'll be there
meeting-attend-thanks = Thanks, noted!
meeting-followup = Did the meeting on { $when } ("{ $topic }") take place?
meeting-followup-repeat = A reminder: please mark whether the meeting on { $when } ("{ $topic }") took place.
meeting-held = ✅ It took place
meeting-missed = It did not
meeting-not-yours = This meeting is not available to you or is already logged.
meeting-ask-absent = Who did not come?
meeting-logged-missed = Recorded: the meeting did not take place.
meeting-ask-covered = What did you cover?
meeting-ask-next-step = The next step? (you may skip)
meeting-ask-attachment = If there is material (a file or a photo), send it, or skip.
meeting-attachment-expected = Send a file or a photo, or press "Skip".
meeting-logged-held = Thank you! The meeting is logged.
meeting-time-pending = time being agreed
meeting-status-proposed = being agreed
meeting-status-confirmed = confirmed
meeting-status-held = took place
meeting-status-missed = did not take place
meeting-status-cancelled = cancelled
meeting-unlogged-mark = ⚠️ not logged
sessions-none = No meetings yet. Arrange one: /session
sessions-upcoming = Upcoming meetings
sessions-recent = Past
sessions-empty = —
help-title = What Nastavnik can do
help-footer = Ask your kindergarten's curator about the mentoring programme.
meeting-reminder-late =
    ⏰ Reminder (late: the bot was unavailable): meeting { $when } — "{ $topic }", { $with }, { $place }.

## Group sessions (methodical Wednesday)
cmd-wednesday = Methodical Wednesday
menu-wednesday = 🗓 Methodical Wednesday
gs-wd = { $d ->
    [1] Mon
    [2] Tue
    [3] Wed
    [4] Thu
    [5] Fri
    [6] Sat
   *[7] Sun
}
gs-pick-org = Which organization is it for?
gs-ask-weekday = On which day of the week?
gs-ask-time = At what time? Write it as HH:MM, for example 13:30 (time zone { $zone }).
gs-time-error = I don't understand the time. Write it as HH:MM, for example 13:30.
gs-ask-topic = Topic of the sessions (for example, "Methodical Wednesday: play-based methods"):
gs-ask-host = Who hosts the sessions?
gs-host-self = { $name } (you)
gs-summary =
    <b>Please check:</b>
    { $org }
    { $weekday ->
        [1] Mondays
        [2] Tuesdays
        [3] Wednesdays
        [4] Thursdays
        [5] Fridays
        [6] Saturdays
       *[7] Sundays
    } at { $time } ({ $zone }), { $duration } min
    Topic: { $topic }
    Host: { $host }
    { $mode }: { $place }
gs-confirm = ✅ Create and invite
gs-abort = Cancel
gs-aborted = All right, the series was not created.
gs-create-failed = Could not create the series: check the details and try again (/wednesday).
gs-created =
    ✅ The series is created; invitations are on their way to the organization's teachers.
    Next sessions:
    { $dates }
gs-announce =
    📣 <b>{ $topic }</b>
    { $weekday ->
        [1] Mondays
        [2] Tuesdays
        [3] Wednesdays
        [4] Thursdays
        [5] Fridays
        [6] Saturdays
       *[7] Sundays
    } at { $time } ({ $zone }), { $duration } min. Host: { $host }.
    { $mode ->
        [online] Online
       *[in_person] In person
    }: { $place }
    Next session: { $next }
    Sign up with one tap; reminders come before every session.
gs-signup = ✅ Sign up
gs-leave = Leave
gs-signed-up = You are signed up for "{ $topic }". Next session: { $next }. Reminders come before every session.
gs-already = You are already signed up for "{ $topic }". Next session: { $next }.
gs-left = You left "{ $topic }".
gs-not-signed = You were not signed up for "{ $topic }".
gs-not-member = Only teachers of this organization can sign up.
gs-inactive = These sessions no longer take place.
gs-host-is-member = You host these sessions; no need to sign up.
gs-list-title = Methodical Wednesdays
gs-list-series =
    <b>{ $topic }</b> — { $org }
    { $weekday ->
        [1] Mondays
        [2] Tuesdays
        [3] Wednesdays
        [4] Thursdays
        [5] Fridays
        [6] Saturdays
       *[7] Sundays
    } at { $time } ({ $zone }), { $duration } min; host { $host }; signed up: { $members }
gs-none-upcoming = No upcoming sessions.
gs-new = ➕ New series
gs-btn-cancel = ✖ Cancel { $date }
gs-btn-move = 🕒 Move { $date }
gs-cancel-confirm = Cancel the session on { $when } ("{ $topic }")? Participants will be told; the other sessions of the series stay as they are.
gs-cancel-yes = Yes, cancel this session
gs-cancelled-done = The session is cancelled; participants will be told.
gs-occ-cancelled = ❌ The session "{ $topic }" on { $when } is cancelled. The next ones take place as scheduled.
gs-occ-moved =
    🔁 The session "{ $topic }" is moved to { $when } (was: { $previous }). Place: { $place }.
    The calendar file is attached.
gs-move-ask = New date and time for "{ $topic }" (now: { $when }). Time zone { $zone }, for example: 26.11 14:00 or tomorrow 14:00.
gs-moved-done = The session is moved to { $when }; participants will be told.
gs-participant-cannot-move = A group session is moved by its host or a curator. If you cannot come, just skip this one.
gs-attendance-ask = Mark who came to "{ $topic }" ({ $when }):
gs-attendance-done = Thank you! The session is logged: { $present } came, { $absent } did not.
meeting-reminder-missed = ⚠️ The reminder about the meeting on { $when } ("{ $topic }") was not sent in time: the bot was unavailable. Please make sure the participants know.
meeting-propose-first = 📅 Arrange a meeting
registry-approve = ✅ Approve
registry-unapprove = 🚫 Withdraw approval
registry-pause = ⏸ Pause 30 days
registry-resume = ▶️ Resume
survey-usefulness = 📝 How useful was the meeting "{ $topic }" with { $name }? Rate it from 1 (not useful) to 5 (very useful).
survey-reflection-offer = ✍️ If you like, write a short reflection on the meeting "{ $topic }": what worked and what comes next.
survey-reflection-btn = ✍️ Write a reflection
survey-score-recorded = Thank you! Your score: { $score }.
survey-ask-solved = Did the meeting solve your problem?
survey-solved-yes = Yes
survey-solved-partly = Partly
survey-solved-no = No
survey-ask-comment = Anything to add? A short comment, up to 500 characters (optional).
survey-ask-reflection = What worked at the meeting, and what next? Up to 1000 characters (optional).
survey-thanks = Thank you! Your answer is recorded.
survey-already = Already recorded, thank you.
request-ask-confidence = How confident are you in «{ $topic }»? Rate from 1 (not at all) to 5 (fully confident).

# --- issue 6: programs, completion, final survey, best practices ---
cmd-program = Personal program
cmd-practices = Practice bank
menu-program = 📋 Program
menu-practices = 🏅 Practices
menu-digest = 📊 Digest
menu-report = 📈 Report
menu-export = 📤 Export
role-model-experienced_to_young = experienced teacher – young teacher
role-model-young_to_experienced = young teacher – experienced teacher (reverse)
role-model-head_to_teacher = head – teacher
role-model-employer_to_student = employer – student
role-model-social_partner_to_teacher = social partner – teacher
role-model-mentor_to_group = mentor – group of teachers
role-model-network_mentor_to_teacher = network mentor – teacher
role-model-peer_to_peer = teacher – teacher (peer)
role-model-parent_to_adults = parent – teachers
role-model-none = —
program-form-individual = individual
program-form-group = group
program-form-none = —
program-status-none = no program yet
program-status-draft = draft
program-status-pending_mentee = waiting for the mentee's confirmation
program-status-pending_curator = waiting for the curator's approval
program-status-returned = returned for revision
program-status-active = active
program-status-completed = completed
program-status-terminated = ended early
program-card =
    <b>Personalised program</b> ({ $status })
    Goal: { $goal }
    Duration: { $months } months { $period }
    Role model: { $role }
    Form: { $form }
    Plan ({ $done } of { $total } done):
    { $items }
    Expected product: { $product }
program-to-mentee =
    Your mentor { $name } proposes a mentoring program. Check it, then confirm or ask for changes.
    
    { program-card }
program-to-curator =
    A program to approve: mentor { $mentor }, mentee { $mentee }.
    
    { program-card }
program-confirmed-by-mentee = { $name } confirmed the program. It went to the curator for approval.
program-changes-asked = { $name } asks to change the program: “{ $comment }”. Open the draft to edit it.
program-approved =
    ✅ The curator approved the program. Plan item reminders come on their due days.
    
    { program-card }
program-returned = The curator returned the program for revision: “{ $comment }”.
program-returned-mentee = The curator returned the program to your mentor for revision: “{ $comment }”.
program-item-done-other = { $name } marked a plan item done: “{ $title }”.
program-item-due = ⏰ A plan item is due today: “{ $title }” ({ $due }). Expected result: { $expected }.
program-btn-confirm = ✅ Confirm
program-btn-changes = ✏️ Ask for changes
program-btn-approve = ✅ Approve
program-btn-return = ↩️ Return with a comment
program-btn-edit = ✏️ Fill in the program
program-btn-create = 📋 Draw up a program
program-btn-view = 📋 Open the program
program-btn-end = 🏁 End the mentoring
program-btn-item-done = ✅ Done
program-btn-item-done-n = ✅ Item { $n } done
program-btn-product = 📎 Add a product
program-btn-package = 🏅 Package as a best practice
program-btn-revise = 🔁 Needs revision
program-btn-send = 📨 Send to the mentee
program-btn-discard = 🗑 Don't send
program-invalid = Please check the data: something does not fit (3–12 months, dates within the program).
program-state-changed = This is no longer possible: the program or the pair has changed.
program-curator-comment = The curator's comment: “{ $comment }”.
program-intro = Let's fill in the personalised program: goal, duration, role model, form, plan and expected product. To stop: /cancel.
program-ask-goal = What is the goal of the program? (5–1000 characters)
program-ask-months = Duration in months (3 to 12):
program-ask-role = Role model:
program-ask-form = Form:
program-ask-item-title = Plan item { $n }: what is to be done? (e.g. “Visit the mentor's class”)
program-ask-item-due = Due date of this item, as DD.MM.YYYY, from { $first } to { $last }.
program-date-format = I could not read the date. Write, for example, 15.03.2027 (from { $first } to { $last }).
program-date-invalid_date = There is no such date. Please try again (from { $first } to { $last }).
program-date-out_of_range = The date must be within the program: from { $first } to { $last }.
program-ask-item-expected = Expected result of this item (optional):
program-ask-more = Items in the plan: { $n }. Add another?
program-more-yes = ➕ Another item
program-more-no = ✔️ The plan is ready
program-ask-product = Expected result or project product of the program:
program-review =
    Check the program:
    Goal: { $goal }
    Duration: { $months } months
    Role model: { $role }
    Form: { $form }
    Plan:
    { $items }
    Product: { $product }
program-discarded = The program was not sent; you can fill in the draft again with /program.
program-sent-to-mentee = The program went to the mentee for confirmation.
program-ask-changes = What should change? Write to your mentor (up to 1000 characters).
program-ask-return = A comment for the mentor: what to revise? (up to 1000 characters)
program-ask-end-reason = Why does the mentoring end early? Describe the reason briefly (the other participant and the curator will see it).
program-ask-product-item = Send the mentee's product: a text, a link or a file.
program-product-expected = A text, a link, a photo or a file, please.
program-changes-sent = Your request went to the mentor.
program-return-sent = The program went back to the mentor with your comment.
program-ended-ok = The mentoring has ended. Thank you!
program-product-added = The product was added to the program.
program-products = Products added: { $n }.
program-none = You have no active long-term pairs or programs. A program is drawn up for long-term mentoring.
program-pair-line = Pair: { $name } ({ $role }). Program: { $status }.
program-curator-waiting = Programs waiting for your decision: { $n }.
program-ended-waiting = Finished programs waiting for the curator's decision: { $n }. The mentor can still add products.
program-curator-none = No programs are waiting for your decision. When a mentor and a mentee agree on a program, it comes to you for approval.
program-confirmed = Confirmed.
program-approved-ok = The program is approved.
program-item-marked = Marked.
program-verdict-saved = Decision saved.
program-verdict-ask = The program has ended. What is the outcome?
program-needs-revision = The curator marked the program “{ $goal }” as needing revision: the road map should be reconsidered.
pair-ended = The mentoring with { $nameIns } ended as planned. Thank you for your work!
pair-ended-early = The mentoring with { $nameIns } ended early ({ $by }). Reason: “{ $reason }”.
final-survey-ask = Final survey: how satisfied are you with the mentoring? 1 — not at all, 5 — completely.
final-survey-ask-adaptation = How do you rate your adaptation at work? 1 — hard, 5 — fully settled in.
final-survey-ask-changed = What changed for you during the mentoring? (optional, up to 1000 characters)
self-assessment-end-ask = Rate your confidence in the request's topics once more — this shows your growth.
self-assessment-end-btn = 📈 Rate my confidence
self-assessment-not-available = The self-assessment is not available now (already given, or the mentoring goes on).
self-assessment-end-thanks = Thank you! Your self-assessment is saved.
curator-pair-ended =
    Mentoring completed: { $mentor } → { $mentee }.
    Goal: { $goal }
    Sessions held: { $held }; plan items: { $done } of { $total }.
    Usefulness: { $usefulness }; satisfaction: { $satisfaction }; self-assessment growth: { $growth }.
curator-pair-ended-early =
    Mentoring ended early: { $mentor } → { $mentee }. Reason: “{ $reason }”.
    Goal: { $goal }
    Sessions held: { $held }; plan items: { $done } of { $total }.
    Usefulness: { $usefulness }; satisfaction: { $satisfaction }; self-assessment growth: { $growth }.
practice-draft-ready = 🏅 The curator proposes packaging the program “{ $goal }” as a best practice. The card is pre-filled from the program: check it, edit it and consent to publication.
practice-btn-view = 👁 Practice card
practice-btn-edit = ✏️ Edit
practice-btn-publish = 📢 Publish
practice-btn-consent = ✅ I consent to publication
practice-media-consent-text = The card has photo and video materials or files: { $n }. They can be published only with a separate consent: you confirm that everyone shown in them (for children, their parents in writing) has agreed to their publication. Without it the card is published without the materials.
practice-btn-consent-text-only = ✅ I consent: publish without photos and files
practice-btn-consent-media = 📷 I consent: publish with the materials
practice-consent-text = I consent to the publication of the mentoring practice card (my name, position, organization, the contacts given in the card, and its content) in the practice bank of the organization and its network. I can withdraw this consent by deleting my data with /deleteme or by asking the curator.
practice-published = The practice is published in the practice bank.
practice-btn-unpublish = 🚫 Unpublish
practice-unpublished = The card is unpublished; the consent is withdrawn.
practice-published-curator = A practice was published: “{ $topic }” ({ $name }).
practice-choose-field = What would you like to change in the card?
practice-field-topic = Topic
practice-field-goal = Goal
practice-field-results = Results
practice-field-content = Content
practice-field-email = E-mail
practice-field-phone = Phone
practice-field-links = Links
practice-ask-topic = Topic of the practice (up to 300 characters):
practice-ask-goal = Goal of the practice (up to 1000 characters):
practice-ask-results = Results of the practice (up to 2000 characters):
practice-ask-content = Content: forms, methods, events (up to 3000 characters):
practice-ask-email = The author's e-mail:
practice-ask-phone = The author's phone:
practice-ask-links = Links to publications, separated by spaces (http…):
practice-field-saved = Saved. The edited card waits for your consent to publication again.
practice-author-removed = the author deleted their data
practice-status-draft = draft, visible only to the author and the curator
practice-status-published = published
practice-card =
    Author: { $author }; { $position }, experience in the position: { $experience }
    Organization: { $organization }
    Contacts: { $email }, { $phone }
    <b>Explanatory note</b>
    Goal: { $goal }
    Role model: { $role }
    Results: { $results }
    <b>Content</b>
    { $content }
    <b>Mentor's case</b>
    { $links }
    Status: { $status }
practices-none = The practice bank has no published cards yet.
practices-title = Practice bank: { $n }. Choose a practice or a topic.
practices-topic = Practices on “{ $topic }”: { $n }.
practices-all = All topics
# --- issue 6: pulse check-ins ---
pulse-ask-score = 💬 Mentoring pulse: how is your work with { $nameIns } going? Rate it from 1 (badly) to 5 (very well). A 1 or 2 is shown to the curator so they can help.
pulse-ask-enough = Do you meet often enough?
pulse-enough-y = Yes, often enough
pulse-enough-n = No, I'd like to meet more often
pulse-thanks = Thank you! Your answer is recorded.
pulse-closed = This check-in is closed: the pair has ended or the next check-in has begun.
pulse-flag-low =
    ⚠️ Risk signal in the pair "{ $mentor } — { $mentee }": { $side ->
        [mentor] the mentor
        [both] both sides
       *[mentee] the mentee
    } rated the work { $score } out of 5 (check-in #{ $round }). The pair may need support.
pulse-flag-missed =
    ⚠️ Risk signal in the pair "{ $mentor } — { $mentee }": { $side ->
        [mentor] the mentor has
        [both] both sides have
       *[mentee] the mentee has
    } not answered two check-ins in a row (the last one #{ $round }). Please check whether the pair is still working.
pulse-flag-ack = ✅ Noted, I'll handle it
pulse-flag-acked = The signal is marked as handled.
pulse-flag-already-acked = This signal has already been handled.

# --- group series: stopping a series ---
gs-btn-stop = ⏹ End the series "{ $topic }"
gs-stop-confirm = End this series? Every upcoming session is cancelled, participants get a notice and a calendar file, and no new sessions are created.
gs-stop-yes = Yes, end the series
gs-stopped-done = The series "{ $topic }" has ended; sessions cancelled: { $n }. Participants will be told.
gs-occ-stopped = ❌ The session "{ $topic }" on { $when } is cancelled: the series has ended.
# --- issue 7: digest, reports, exports ---
cmd-digest = Weekly digest
cmd-report = Report for a period
cmd-export = Export the registries (XLSX/CSV)
dg-not-allowed = Digests, reports and exports are for curators and admins. If you are a curator, ask an admin to grant you the role.
dg-collecting = ⏳ Collecting the data of { $n } kindergartens: this can take a minute or two. The result will arrive here.
dg-too-large = Could not collect the data: the server does not have enough memory for this much. Please tell the server's administrator.
dg-weekly-too-large = This week's digest could not be collected: the server does not have enough memory for this much data. Please tell the server's administrator.
dg-weekly-failed = This week's digest could not be prepared because of an error on the server. You can ask for it with /digest.
dg-export-file-too-big = The file { $file } was not sent: it takes { $mb } MB, and Telegram accepts files from bots up to 50 MB. { $format ->
        [csv] The XLSX export takes less space; if that does not help, please tell the server's administrator.
       *[other] Please tell the server's administrator.
    }
dg-title = 📊 Digest for { $period } — { $scope }
dg-title-report = 📈 Report for { $period } — { $scope }
dg-sec-requests = Requests
dg-requests = New: { $new } ({ $newDelta }) · matched: { $matched } ({ $matchedDelta })
dg-open = Waiting for a mentor: { $unmatched } ({ $unmatchedDelta }), over 3 days: { $stale } · waiting for your decision: { $escalated }
dg-open-item = — { $name }, { $days } d{ $flag } — { $topics } ({ $status })
dg-more = …and { $n } more
dg-and-more = and { $n } more
dg-sec-pairs = Pairs and meetings
dg-pairs = Active pairs: { $active } ({ $activeDelta })
dg-meetings = Meetings: held { $held } ({ $heldDelta }), missed { $missed } ({ $missedDelta }), unlogged { $unlogged } ({ $unloggedDelta }); planned for the next 7 days: { $planned }
dg-surveys = Usefulness of meetings: { $avg } of 5 ({ $answers } answers, before: { $prev }); low scores (1–2): { $low }
dg-surveys-none = No meeting ratings in this period.
dg-sec-risks = Risks: { $n }
dg-risks-none = No risks.
dg-risk-quiet_pair = pair { $who }: no meetings for { $n } days
dg-risk-timed_out = mentor { $who } let offers time out: { $n }
dg-risk-pulse_low = pulse of the pair { $who }: low score ({ $n })
dg-risk-pulse_missed = pulse of the pair { $who }: two check-ins missed in a row
dg-risk-unreachable = { $who }: the bot is blocked, messages do not arrive
dg-sec-mentors = Mentors
dg-mentors-full = At capacity: { $n }{ $list }
dg-mentors-idle = Approved but without mentees: { $n }{ $list }
dg-sec-topics = Top deficits in requests
dg-sec-indicators = Program indicators
dg-sec-orgs = By organization ({ $n })
dg-org-line = { $name }: new { $new }, matched { $matched }, meetings { $held }, waiting { $unmatched }, risks { $risks }
dg-compare-note = <i>In brackets: the change against the previous period of the same length.</i>
dg-quiet = 📊 Nothing happened in “{ $scope }” in { $period }: no requests, meetings or risks.
dg-btn-unmatched = 📥 Open requests ({ $n })
dg-btn-risks = ⚠️ Risks ({ $n })
dg-btn-orgs = 🏫 All organizations
dg-btn-mentors = 👩‍🏫 All mentors
dg-btn-export = 📤 Export
dg-btn-settings = ⚙️ Digest settings
dg-chart-title = Meetings per week
dg-chart-held = held
dg-chart-missed = missed
dg-chart-week = Week
dg-chart-count = Count
dg-chart-topics = Top deficits
dg-chart-caption = Meetings and top deficits, { $period }
dg-scope-all = all organizations
dg-scope-orgs = { $n } organizations
dg-period-last_week = Last week
dg-period-last_4_weeks = Last 4 weeks
dg-period-this_month = This month
dg-period-last_month = Last month
dg-period-custom = Custom dates
dg-report-ask = Which period should the report cover?
dg-report-custom-hint = Send the command with the first and the last date, for example: /report 01.11.2026 30.11.2026
dg-report-bad-dates = Could not read the dates. Example: /report 01.11.2026 30.11.2026 (start not after the end, at most a year).
dg-export-ask = Which format for the mentee base, the mentor registry, pairs, meetings, surveys and indicators?
dg-export-xlsx = 📗 XLSX workbook
dg-export-csv = 📄 CSV files
dg-export-caption = Export: { $scope }
dg-export-part = part { $n } of { $of }
dg-day-1 = Monday
dg-day-2 = Tuesday
dg-day-3 = Wednesday
dg-day-4 = Thursday
dg-day-5 = Friday
dg-day-6 = Saturday
dg-day-7 = Sunday
dg-day-short-1 = Mon
dg-day-short-2 = Tue
dg-day-short-3 = Wed
dg-day-short-4 = Thu
dg-day-short-5 = Fri
dg-day-short-6 = Sat
dg-day-short-7 = Sun
dg-day-default = as scheduled
dg-settings-on = ⚙️ The weekly digest is on, day: { $day }. Pick another day or turn it off.
dg-settings-muted = ⚙️ The weekly digest is off (day: { $day }). /digest still works.
dg-mute = 🔕 Turn the digest off
dg-unmute = 🔔 Turn the digest on
ind-matched_7d = Requests matched within 7 days
ind-programs_completed = Programs completed (of those that ended)
ind-programs_packaged = Programs packaged as a practice (of those assessed)
ind-satisfaction = Participants' satisfaction (final survey, 1–5)
ind-adaptation = Young specialists' adaptation (final survey, 1–5)
ind-growth = Growth in self-assessment (points, end − start)
ind-practices_published = Practices published
ind-mentors_approved = Approved mentors in the registry
ind-no-data = no data
xl-erased = Deleted user
xl-hidden = Employee of another organization
xl-other-org = Another organization
xl-yes = yes
xl-no = no
xl-identified-self = self-assessment
xl-identified-request = request in the bot
xl-role-model-experienced_to_young = experienced to young
xl-role-model-young_to_experienced = young to experienced (reverse)
xl-role-model-head_to_teacher = head to teacher
xl-role-model-employer_to_student = employer to student
xl-role-model-social_partner_to_teacher = social partner to teacher
xl-role-model-mentor_to_group = mentor to group
xl-role-model-network_mentor_to_teacher = network mentor to teacher
xl-role-model-peer_to_peer = peer to peer
xl-role-model-parent_to_adults = parent to adults
xl-place-own = own kindergarten
xl-place-network = network
xl-outcome-packaged = packaged as a practice
xl-outcome-needs_revision = needs revision
xl-mentor-network = network
xl-mentor-internal = internal
xl-pair-active = active
xl-pair-completed = completed
xl-pair-terminated = terminated
xl-formed-offer = on request
xl-formed-curator = by the curator
xl-program-draft = draft
xl-program-pending_mentee = with the mentee
xl-program-pending_curator = with the curator
xl-program-returned = returned
xl-program-active = active
xl-program-completed = completed
xl-program-terminated = terminated
xl-meeting-pair = pair
xl-meeting-group = group
xl-mstatus-proposed = proposed
xl-mstatus-confirmed = confirmed
xl-mstatus-held = held
xl-mstatus-missed = missed
xl-mstatus-cancelled = cancelled
xl-mstatus-unlogged = unlogged
xl-sheet-mentees = Mentee base
xl-sheet-mentors = Mentor registry
xl-sheet-pairs = Pairs and programs
xl-sheet-meetings = Meetings
xl-sheet-surveys = Surveys
xl-sheet-indicators = Indicators
xl-col-no = No.
xl-col-mentee = Mentee
xl-col-organization = Organization
xl-col-contact = Contact
xl-col-position = Position
xl-col-experience = Experience, years
xl-col-young = Young specialist
xl-col-education = Education
xl-col-category = Qualification category
xl-col-deficits = Key requests (professional deficits)
xl-col-request = Request
xl-col-identified = How the deficit was identified
xl-col-entry-date = Date of entry into the program
xl-col-request-status = Request status
xl-col-mentor = Mentor
xl-col-mentor-org = Mentor's organization
xl-col-form = Form of mentoring
xl-col-role-model = Role model
xl-col-place = Place of implementation
xl-col-end-date = End date
xl-col-results = Results
xl-col-completed = Program completed
xl-col-competences = Competences (topics)
xl-col-forms = Preferred forms
xl-col-mode = Mode
xl-col-mentor-type = Mentor type
xl-col-capacity = Capacity
xl-col-active-mentees = Mentees now
xl-col-mentees = Mentees
xl-col-opt-in-date = Opt-in date
xl-col-approved-date = Approved by the curator
xl-col-paused-until = Paused until
xl-col-rating = Average rating
xl-col-pair-status = Pair status
xl-col-formed-date = Formed on
xl-col-formed-by = Formed by
xl-col-mentor-consent = Mentor's consent
xl-col-mentee-consent = Mentee's consent
xl-col-ended-date = Ended on
xl-col-program-status = Program status
xl-col-goal = Program goal
xl-col-months = Duration, months
xl-col-start-date = Program start
xl-col-plan-done = Plan items done
xl-col-outcome = Outcome
xl-col-start = Meeting date and time
xl-col-meeting-kind = Kind
xl-col-topic = Topic
xl-col-duration = Duration, min
xl-col-meeting-status = Status
xl-col-host = Host (mentor)
xl-col-participants = Signed up
xl-col-covered = What was covered
xl-col-answered = Answered on
xl-col-respondent-role = Respondent's role
xl-col-usefulness = Usefulness (1–5)
xl-col-solved = Problem solved
xl-col-comment = Comment
xl-col-survey-kind = Survey
xl-col-satisfaction = Satisfaction (1–5)
xl-col-adaptation = Adaptation (1–5)
xl-survey-session = after a meeting
xl-survey-final = final
xl-col-indicator = Indicator
xl-col-value = Value
xl-col-numerator = Numerator
xl-col-denominator = Denominator
