## Issue 11: the life of requests and pairs

flash-pair-idle-mentee = The flash session with your mentor ({ $name }) did not take place within { $days } days, so the request is closed. If you still need help, send a new request.
flash-pair-idle-mentor = The flash session with your colleague ({ $name }) did not take place within { $days } days; the request is closed. Thank you for responding!

program-end-how = How does the mentoring end?
program-btn-goal = 🎯 Goal achieved — complete
program-btn-early = ⏹ Stop early
pair-ended-goal = The mentoring with { $name } is complete: the goal is achieved. Congratulations, and thank you for your work!
curator-pair-ended-goal =
    Mentoring complete (goal achieved): { $mentor } → { $mentee }.
    Goal: { $goal }
    Sessions held: { $held }; plan items: { $done } of { $total }.
    Usefulness: { $usefulness }; satisfaction: { $satisfaction }; self-assessment growth: { $growth }.

xl-program-goal = completed: goal achieved
