## Issue 11: the life of requests and pairs

flash-pair-idle-mentee = The flash session with your mentor ({ $name }) did not take place within { $days } days, so the request is closed. If you still need help, send a new request.
flash-pair-idle-mentor = The flash session with your colleague ({ $name }) did not take place within { $days } days; the request is closed. Thank you for responding!

program-end-how = How does the mentoring end?
program-btn-goal = 🎯 Goal achieved — complete
program-btn-early = ⏹ Stop early
pair-ended-goal = The mentoring with { $nameIns } is complete: the goal is achieved. Congratulations, and thank you for your work!
curator-pair-ended-goal =
    Mentoring complete (goal achieved): { $mentor } → { $mentee }.
    Goal: { $goal }
    Sessions held: { $held }; plan items: { $done } of { $total }.
    Usefulness: { $usefulness }; satisfaction: { $satisfaction }; self-assessment growth: { $growth }.

xl-program-goal = completed: goal achieved

request-passed-on-mentee = The mentor could not take your request, so I offered it to the next suitable mentor (waiting for an answer until { $deadline }). Follow your requests: /myrequests
offer-withdrawn-cancelled = The request you were offered has been cancelled. No need to answer it any more, thank you!
offer-withdrawn-curator = A curator has already decided on the request you were offered. No need to answer it any more, thank you!
pair-assigned-mentee = 🤝 The curator ({ $curator }) assigned you a mentor: { $name }. Why: { $why }{ $reason }. Contact: { $contact }. Please confirm your consent to the mentoring pair assignment.
pair-assigned-mentor = 🤝 The curator ({ $curator }) assigned you as the mentor of a colleague: { $name }. Why: { $why }{ $reason }. Contact: { $contact }. Please confirm your consent to the pair assignment and the additional duties of a mentor.
assign-why-override = the curator's decision
assign-why-reassigned = the curator changed the mentor for this request
assign-why-no-candidates = no suitable free mentor was found automatically
assign-why-exhausted = the mentors offered the request could not take it
assign-why-curator-choice = the curator chose the mentor personally

myrequests-none = You have no requests yet. Ask a mentor for help: /request
myrequests-title = <b>My requests</b> (latest { $n })
myrequests-item =
    <b>{ $n }. { $topics }</b> — { $kind }
    Status: { $status }{ $mentor }
    { $history }
myrequests-mentor = , mentor: { $name }
myrequests-cancel = ✖️ Cancel request { $n }
myrequests-cancel-ask = Cancel the request “{ $topics }”? Mentors it was offered to will be told.
myrequests-cancel-yes = Yes, cancel it
myrequests-cancel-no = No, keep it
myrequests-cancelled = The request is cancelled. If you need help later, send a new one: /request
myrequests-cancel-kept = Fine, the request stays open.
myrequests-not-open = This request can no longer be cancelled: its status has changed.
cmd-myrequests = My requests
menu-myrequests = 📄 My requests
history-line = { $at } — { $status }

meeting-with-person = with { $with_name }
meeting-with-host = host: { $with_name }
meeting-with-group = signed up: { $with_n }
meeting-cant-come = 🙅 I can't come
meeting-cant-come-thanks = Thank you for letting us know: the host has been told.
meeting-cant-come-host = { $name } cannot come to the meeting "{ $topic }" on { $when }.
meeting-log-summary =
    📝 Summary of the meeting with your mentor ({ $name }), { $when }:
    { $covered }
    Next step: { $next }
meeting-log-summary-no-step =
    📝 Summary of the meeting with your mentor ({ $name }), { $when }:
    { $covered }

question-new =
    ❓ <b>A colleague's question</b> (topic: { $topics })
    “{ $text }”
    If you can help, answer it — the answer goes to the colleague in the chat. The question is open until { $deadline }; the first answer closes it for the others.
question-btn-answer = ✍️ Answer
question-btn-thank = 🙏 Thank you
question-btn-more = ❓ Ask more
question-ask-answer = Write your answer to the colleague (up to 2000 characters). No contacts needed — the answer goes to the chat.
question-ask-follow-up = What would you like to clarify? Write to the mentor (up to 1000 characters).
question-answer-sent = Thank you! Your answer has been sent to the colleague.
question-follow-up-sent = Your follow-up has been sent to the mentor.
question-stale = This question is already closed or answered. Thank you!
question-sent = Your question has been sent to suitable mentors. The first answer will come here, to the chat (the question is open until { $deadline }).
question-to-curator = No suitable mentor is available for the question right now — it has been passed to the curator.
question-answer =
    💬 <b>A mentor's answer</b> ({ $name }) to your question “{ $question }”:
    { $answer }
question-follow-up-answer =
    💬 <b>The mentor answered your follow-up</b> ({ $name }):
    { $answer }
question-taken = A colleague's question has already been answered. Thank you for being ready to help!
question-follow-up =
    ❓ A follow-up to your answer ({ $name }):
    “{ $text }”
question-thanked = 🙏 A colleague ({ $name }) thanks you for your answer.
question-thanks-sent = Your thanks have been passed on!

menu-become-mentor = 🌱 Become a mentor
mentor-application-offer = You are not in the mentor registry yet. If you are ready to share your experience with colleagues, offer yourself — your kindergarten's curator will review the application.
mentor-application-btn = 🌱 Offer myself as a mentor
mentor-application-ask = Tell us briefly how you can help colleagues: topics, experience, achievements (10–1000 characters).
mentor-application-ask-reason = Why is the application declined? Briefly (3–500 characters) — the teacher will see the reason.
mentor-application-sent = Thank you! Your application has been sent to the curator. I will write to you when they decide.
mentor-application-pending = Your mentor application is already with the curator — please wait for the decision.
mentor-application-already_mentor = You are already in the mentor registry: your profile is at /mentor.
mentor-application-not_allowed = You cannot apply right now: please make sure your registration is complete.
mentor-application-state = This application has already been decided or is not available to you.
mentor-application-new =
    🌱 <b>Mentor application</b>: { $name }
    “{ $motivation }”
mentor-application-approve = ✅ Approve
mentor-application-decline = ✖️ Decline with a reason
mentor-application-approved-ok = Application approved: the teacher now has the mentor role.
mentor-application-declined-ok = Application declined; the teacher has your answer.
mentor-application-approved = 🎉 The curator ({ $curator }) approved your mentor application. Fill in your mentor profile — topics, load and convenient times: /mentor
mentor-application-declined = The curator ({ $curator }) has not approved your mentor application for now. Reason: “{ $reason }”. You may apply again later.
dg-questions = Quick questions: asked { $asked } ({ $askedDelta }), answered by a mentor: { $answered } · waiting for an answer now: { $waiting }
