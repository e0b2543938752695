# Programs of mentoring groups (issue 15)
program-intro-group = Заполним программу группы: цель, срок, ролевая модель, форма, план и ожидаемый продукт. Программу получат все участники группы. Прервать: /cancel.
program-to-group =
    Наставник { $name } предлагает программу группы «{ $title }». Проверьте её и подтвердите или попросите изменить.
    
    { program-card }
program-sent-to-group = Программа отправлена участникам группы на подтверждение. Когда подтвердят все, она уйдёт куратору.
program-group-confirmed-one = { $name } { $nameGender ->
        [male] подтвердил
       *[female] подтвердила
    } программу группы «{ $title }». Подтвердили { $n } из { $total }. Когда подтвердят все, программа уйдёт куратору; если большинство уже согласно, её можно отправить куратору сейчас.
program-group-confirmed-all = Все участники группы «{ $title }» подтвердили программу. Она отправлена куратору на утверждение.
program-btn-send-on = 📨 Отправить куратору
program-sent-on = Программа отправлена куратору.
program-group-line = Группа «{ $title }», участники: { $names }
program-group-confirmations = Подтвердили: { $n } из { $total } { $total ->
        [one] участника
       *[other] участников
    }
program-group-menu-line = Группа «{ $title }». Программа: { $status }.
group-card-program = Программа группы: { $status } (пунктов плана выполнено: { $done } из { $total })
curator-group-program-ended =
    Завершена программа группы «{ $title }» (наставник { $mentor }), участников: { $n }.
    Цель: { $goal }
    Встреч группы проведено: { $held }; пунктов плана: { $done } из { $total }.
    Удовлетворённость участников: { $satisfaction }; рост самооценки: { $growth }.
curator-group-program-ended-early =
    Досрочно завершена программа группы «{ $title }» (наставник { $mentor }), участников: { $n }.
    Цель: { $goal }
    Встреч группы проведено: { $held }; пунктов плана: { $done } из { $total }.
    Удовлетворённость участников: { $satisfaction }; рост самооценки: { $growth }.
doc-group = Наставническая группа
doc-participants = Участники группы
doc-participant-left = больше не в группе
