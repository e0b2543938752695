## Organizations and invitations (issue 13): throttling of invite links.
invite-throttled = Слишком много попыток с недействительными ссылками-приглашениями. Пожалуйста, попробуйте снова через { $minutes } { $minutes ->
        [one] минуту
        [few] минуты
       *[other] минут
    }.
invite-burst-admin = Аккаунт Telegram { $account } отправил { $failures } недействительных ссылок-приглашений за { $window } мин. Проверка его ссылок приостановлена на { $minutes } мин.
