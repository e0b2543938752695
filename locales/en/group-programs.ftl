# Programs of mentoring groups (issue 15)
program-intro-group = Let's fill in the group's program: goal, duration, role model, form, plan and expected product. Every participant of the group gets it. To stop: /cancel.
program-to-group =
    Your mentor { $name } proposes a program for the group “{ $title }”. Check it, then confirm or ask for changes.
    
    { program-card }
program-sent-to-group = The program went to the group's participants for confirmation. Once everyone confirms, it goes to the curator.
program-group-confirmed-one = { $name } confirmed the program of the group “{ $title }”. Confirmed: { $n } of { $total }. Once everyone confirms, it goes to the curator; with a majority agreed you can send it to the curator now.
program-group-confirmed-all = Every participant of the group “{ $title }” confirmed the program. It went to the curator for approval.
program-btn-send-on = 📨 Send to the curator
program-sent-on = The program went to the curator.
program-group-line = Group “{ $title }”, participants: { $names }
program-group-confirmations = Participants who confirmed: { $n } of { $total }
program-group-menu-line = Group “{ $title }”. Program: { $status }.
group-card-program = Group program: { $status } (plan items done: { $done } of { $total })
curator-group-program-ended =
    The program of the group “{ $title }” (mentor { $mentor }) is completed; participants: { $n }.
    Goal: { $goal }
    Group meetings held: { $held }; plan items: { $done } of { $total }.
    Participants' satisfaction: { $satisfaction }; growth of self-assessment: { $growth }.
curator-group-program-ended-early =
    The program of the group “{ $title }” (mentor { $mentor }) ended early; participants: { $n }.
    Goal: { $goal }
    Group meetings held: { $held }; plan items: { $done } of { $total }.
    Participants' satisfaction: { $satisfaction }; growth of self-assessment: { $growth }.
doc-group = Mentoring group
doc-participants = Participants of the group
doc-participant-left = left the group
