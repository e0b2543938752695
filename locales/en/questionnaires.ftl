# Questionnaires, diagnostics, survey campaigns (issue 16)
cmd-surveys = Surveys and questionnaires
cmd-diagnostic = Deficit diagnostic
qs-question =
    <i>{ $title } · question { $n } of { $total }</i>
    <b>{ $text }</b>
    { $kind ->
        [scale] Rate from 1 to 5.
        [scale_labels] Rate: { $labels }.
        [multiple] You may pick several, then press "Done".
        [text] Press "Write an answer" and send it as a message.
       *[other] Pick an option.
    }
qs-question-intro =
    <b>{ $title }</b>{ $anonymous ->
        [yes] {" "}🔒
       *[no] {""}
    }
    { $intro }

    { qs-question }
qs-btn-done = Done
qs-btn-write = ✍️ Write an answer
qs-btn-skip = Skip
qs-btn-pause = ⏸ Continue later
qs-btn-continue = Continue
qs-btn-continue-n = ▶️ Continue survey { $n }
qs-btn-diagnostic = 🧭 Take the deficit diagnostic
qs-finished = Thank you, your answers are recorded!
qs-finished-diagnostic = Thank you, the diagnostic is done. When you open /request, the bot will suggest the topics with the lowest scores; you can confirm or change them.
qs-paused = The survey is paused: { $n } of { $total } answered. Continue any time with /surveys.
qs-reminder = Reminder: please fill in the survey "{ $title }" by { $deadline }. { $answered } of { $total } answered.
qs-closed = This survey's deadline has passed.
qs-invalid = That answer does not fit this question.
qs-diagnostic-mentees-only = The deficit diagnostic is for mentees.
qs-register-first = Please register first: send /start.
qs-title = Surveys and questionnaires
qs-none-open = No unfinished surveys.
qs-progress = { $answered } of { $total } answered
qs-ask-text =
    { $text }
    Write your answer in one message (up to { $max } characters).
qc-title = Survey campaigns
qc-none = You have not sent any surveys yet.
qc-line = { $done } of { $recipients } answered, due { $deadline }
qc-btn-results-n = 📊 Results { $n }
qc-btn-new = ➕ Send a survey
qc-summary-head = Due: { $deadline }. Answered: { $done } of { $recipients } (in progress: { $progress }).
qc-summary-anonymous = 🔒 Anonymous survey: respondents' names are neither stored nor shown.
qc-summary-none = No answers yet.
qc-summary-scale = Average { $average } ({ $n } answers); { $dist }
qc-chart-axis = Average score (1–5)
qc-chart-caption = Average scores per question, { $done } answers
qc-no-scope = Surveys can be sent by curators of an organization or a network.
qc-ask-set = Which survey? (🔒 = anonymous)
qc-ask-audience = Send to whom?
qc-audience-all = Mentors and mentees
qc-audience-mentee = Mentees
qc-audience-mentor = Mentors
qc-ask-scope = In which organization or network?
qc-ask-deadline = Answer within:
qc-days = { $n ->
    [one] { $n } day
   *[other] { $n } days
}
qc-nobody = Nobody registered with that role in the chosen scope.
qc-confirm =
    <b>Send the survey?</b>
    Survey: { $title }
    To: { $audience }
    Where: { $scope }
    Due: by the end of { $deadline }
    Recipients: { $n }
    { $anonymous ->
        [yes] 🔒 Anonymous: no names in the results.
       *[no] {""}
    }
qc-btn-send = Send
qc-btn-discard = Cancel
qc-discarded = Sending cancelled.
qc-sent = The survey is sent to { $n } people. A day before the deadline the bot reminds those who have not finished. Results are in /surveys.
qc-refused-not_allowed = You cannot send a survey to that organization.
qc-refused-no_set = That survey no longer exists.
qc-refused-deadline = The deadline is too close.
qc-refused-nobody = Nobody to send it to.
request-suggested =
    Your diagnostic shows the lowest scores in:
    { $list }
    Use these topics for your request?
request-suggested-use = ✅ Yes, use these topics
request-suggested-change = ✏️ Choose topics myself
xl-identified-diagnostic = diagnostic
xl-identified-self_assessment = self-assessment
xl-identified-curator_observation = curator's observation
xl-sheet-questionnaires = Questionnaires
xl-col-qn-set = Questionnaire
xl-col-qn-occasion = Occasion
xl-col-qn-answered = Answered
xl-col-qn-respondent = Respondent
xl-col-qn-question = Question
xl-col-qn-answer = Answer
xl-col-qn-score = Score
xl-qn-anonymous = Anonymous
xl-qn-skipped = (skipped)
xl-qn-occasion-campaign = curator's campaign
xl-qn-occasion-self = taken by the teacher
xl-qn-occasion-adaptation = adaptation, { $months } months
xl-qn-occasion-program-start = program start
xl-qn-occasion-program-end = program end
dg-risk-adaptation_drop = adaptation of { $who }: the score fell to { $n }
dg-risk-satisfaction_drop = satisfaction of { $who }: the score fell to { $n }
cmd-startdate = Start-of-work date
qs-work-started = Started work at the kindergarten: { $date }.
qs-btn-work-start = 📅 Give my start-of-work date
qs-btn-work-start-change = 📅 Change my start-of-work date
ws-ask = Since what day have you worked at this kindergarten? Send a date such as 01.09.2026. After 1, 3 and 12 months the bot sends a short adaptation survey.
ws-error-format = Could not read the date. Example: 01.09.2026
ws-error-range = The date must be today or earlier, and not more than five years ago.
ws-error-not_allowed = Please register first: send /start.
ws-saved = Saved. Adaptation surveys scheduled: { $n }.
qs-flag-adaptation_drop = ⚠️ Risk signal: { $name }'s adaptation score fell from { $before } to { $after }. Worth a talk with the teacher and the mentor.
qs-flag-satisfaction_drop = ⚠️ Risk signal: { $name }'s satisfaction with their work fell from { $before } to { $after } by the end of the program.
rx-wellbeing-title = Adaptation and satisfaction (average score 1–5)
rx-wellbeing-none = No adaptation or satisfaction surveys in the period.
rx-wellbeing-line = { $occasion }: { $average } ({ $n } answers)
rx-occasion-adapt-1 = adaptation after 1 month
rx-occasion-adapt-3 = adaptation after 3 months
rx-occasion-adapt-12 = adaptation after 12 months
rx-occasion-program-start = satisfaction at the program's start
rx-occasion-program-end = satisfaction at the program's end
rx-plan-title = Planned versus actual
rx-plan-items = Plan items: on time { $onTime }, late { $late }, not done { $notDone }, ahead { $ahead }.
rx-plan-year = Programs of { $year }: planned to end { $planned }, completed { $completed }.
rx-plan-program = on time { $onTime }, late { $late }, not done { $notDone }, ahead { $ahead }
rx-more = …and { $n } more
xl-sheet-plan = Planned vs actual
xl-col-plan-goal = Program goal
xl-col-plan-status = Program status
xl-col-plan-start = Start
xl-col-plan-end = End
xl-col-plan-items = Plan items
xl-col-plan-on-time = Done on time
xl-col-plan-late = Done late
xl-col-plan-not-done = Not done
xl-col-plan-ahead = Ahead
qs-identified-label = How the deficits were identified
qs-btn-observed = 👁 Deficits identified by the curator's observation
qs-observed-ok = Noted: the deficits were identified by the curator's observation.
