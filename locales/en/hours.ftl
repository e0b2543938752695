## Working hours and the curator's daily list (issue 15)

hours-list =
    📋 <b>Your list for today</b> — { $count } item(s). Everything that waits for your decision; each button carries its item's number.

    { $items }
hours-list-more =
    📋 <b>Today's list, continued</b>

    { $items }
hours-list-instant = ⚡ Send each notice at once
hours-btn-daily = 📋 Gather into a list for the start of the day
hours-btn-instant = ⚡ Send at once
hours-mode-daily = 📋 Join requests, escalations, programs to approve and risk flags come in one list at the start of your working day. What cannot wait (a request with no mentor left) comes at once.
hours-mode-instant = ⚡ Join requests, escalations, programs to approve and risk flags come at once, one by one, in working hours.
hours-mode-set-daily = Done: these notices will be gathered in one list for the start of your working day. Those already sent one by one will not be repeated.
hours-mode-set-instant = Done: these notices will now come at once, in working hours. What has already been gathered comes as a list at the start of the working day. To go back to the daily list: /digest → “Settings”.
