## Обучение наставников (этап IV целевой модели, issue 16).
cmd-training = Обучение наставников
menu-training = 🎓 Обучение наставников
training-title = 🎓 Обучение наставников
training-rule-intro = Можно требовать, чтобы наставник прошёл обучение, прежде чем ему начнут приходить запросы.
training-rule-on = обучение обязательно перед подбором
training-rule-off = обучение не обязательно
training-rule-turn-on = Требовать обучение: { $org }
training-rule-turn-off = Не требовать обучение: { $org }
training-rule-set-on = Готово: наставники без обучения не будут предлагаться наставляемым.
training-rule-set-off = Готово: обучение больше не обязательно для подбора.
training-upcoming = <b>Ближайшие семинары:</b>
training-none-upcoming = Запланированных семинаров пока нет.
training-upcoming-item = • { $when } — «{ $topic }», { $org }; записались: { $n }
training-new = ➕ Объявить семинар
training-pick-org = Для какой организации семинар?
training-ask-when = Дата и время начала семинара — время { $zone }, например: 03.12 14:00 или 03.12.2026 14:00.
training-ask-topic = Тема семинара (до 200 символов):
training-summary =
    <b>Проверьте:</b>
    { $org }
    { $when }, { $duration } мин.
    «{ $topic }»
    { $mode }: { $place }
training-confirm = ✅ Объявить
training-abort = Отмена
training-aborted = Хорошо, семинар не объявлен.
training-create-failed = Не получилось объявить семинар: проверьте данные и попробуйте ещё раз (/training).
training-created = Семинар объявлен: { $when }. Приглашения отправлены наставникам: { $n ->
        [0] пока некому
       *[other] { $n }
    }. После семинара бот попросит вас отметить, кто пришёл.
training-invite =
    🎓 <b>Обучение наставников: { $topic }</b>
    { $when }, { $duration } мин. Ведёт: { $host }.
    { $mode ->
        [online] Онлайн
       *[in_person] Очно
    }: { $place }
    Записаться можно одной кнопкой — напоминания придут перед семинаром.
training-signup = ✅ Записаться
training-leave = Отменить запись
training-signed-up = Вы записаны на семинар «{ $topic }» ({ $when }). Напоминания придут накануне и за час до начала.
training-already = Вы уже записаны на семинар «{ $topic }» ({ $when }).
training-left = Запись на семинар «{ $topic }» отменена.
training-not-signed = Вы не были записаны на семинар «{ $topic }».
training-stale = Этот семинар уже прошёл или отменён.
training-not-mentor = Записаться могут только наставники организации, которая проводит семинар.
training-host = Вы ведёте этот семинар — записываться не нужно.
mentor-state-untrained = ждёт обучения
training-list-count = обучение: { $n }
training-card-line = Обучение наставников: посещено { $n }, последнее — { $last }
training-card-not-ready = Запросы не приходят: в организации обучение обязательно, а наставник его ещё не прошёл.
training-approved-untrained-curator = Запросы начнут приходить после обучения: в организации оно обязательно.
training-approved-untrained-notice = Ваш профиль наставника одобрен куратором. В вашей организации перед началом работы нужно пройти обучение наставников: запросы начнут приходить после семинара. Приглашение на ближайший семинар придёт в этот чат.
filter-untrained = не прошёл обязательное обучение наставников
xl-col-mentor-trainings = Обучение наставников, посещено
xl-col-mentor-training-last = Последнее обучение
