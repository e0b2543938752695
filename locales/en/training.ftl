## Mentor training (stage IV of the target model, issue 16).
cmd-training = Mentor training
menu-training = 🎓 Mentor training
training-title = 🎓 Mentor training
training-rule-intro = You can require mentors to attend a training before they receive requests.
training-rule-on = training required before matching
training-rule-off = training not required
training-rule-turn-on = Require training: { $org }
training-rule-turn-off = Stop requiring training: { $org }
training-rule-set-on = Done: mentors without a training will not be offered to mentees.
training-rule-set-off = Done: training is no longer required for matching.
training-upcoming = <b>Upcoming seminars:</b>
training-none-upcoming = No seminars are planned yet.
training-upcoming-item = • { $when } — “{ $topic }”, { $org }; signed up: { $n }
training-new = ➕ Announce a seminar
training-pick-org = Which organization is the seminar for?
training-ask-when = Date and start time of the seminar, { $zone } time, e.g. 03.12 14:00 or 03.12.2026 14:00.
training-ask-topic = Topic of the seminar (up to 200 characters):
training-summary =
    <b>Please check:</b>
    { $org }
    { $when }, { $duration } min.
    “{ $topic }”
    { $mode }: { $place }
training-confirm = ✅ Announce
training-abort = Cancel
training-aborted = OK, the seminar was not announced.
training-create-failed = The seminar could not be announced: please check the details and try again (/training).
training-created = The seminar is announced: { $when }. Invitations sent to mentors: { $n ->
        [0] nobody yet
       *[other] { $n }
    }. After the seminar the bot will ask you to mark who came.
training-invite =
    🎓 <b>Mentor training: { $topic }</b>
    { $when }, { $duration } min. Host: { $host }.
    { $mode ->
        [online] Online
       *[in_person] In person
    }: { $place }
    Sign up with one tap; reminders come before the seminar.
training-signup = ✅ Sign up
training-leave = Cancel my sign-up
training-signed-up = You are signed up for the seminar “{ $topic }” ({ $when }). Reminders come the day before and an hour before it starts.
training-already = You are already signed up for the seminar “{ $topic }” ({ $when }).
training-left = Your sign-up for the seminar “{ $topic }” is cancelled.
training-not-signed = You were not signed up for the seminar “{ $topic }”.
training-stale = This seminar is over or cancelled.
training-not-mentor = Only mentors of the organization holding the seminar can sign up.
training-host = You host this seminar, no need to sign up.
mentor-state-untrained = awaiting training
training-list-count = training: { $n }
training-card-line = Mentor training: attended { $n }, last — { $last }
training-card-not-ready = No requests come: the organization requires a mentor training, which this mentor has not attended yet.
training-approved-untrained-curator = Requests will come after a training: the organization requires it.
training-approved-untrained-notice = Your mentor profile is approved by the curator. Your organization asks mentors to attend a mentor training first: requests will come after the seminar. The invitation to the next seminar will come to this chat.
filter-untrained = has not attended the required mentor training
xl-col-mentor-trainings = Mentor trainings attended
xl-col-mentor-training-last = Last mentor training
