## Organizations and invitations (issue 13): throttling of invite links.
invite-throttled = Too many attempts with invalid invitation links. Please try again in { $minutes } { $minutes ->
        [one] minute
       *[other] minutes
    }.
invite-burst-admin = Telegram account { $account } sent { $failures } invalid invitation links within { $window } min. Its links are not checked for the next { $minutes } min.
