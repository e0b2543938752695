## Issue 11: the life of requests and pairs

flash-pair-idle-mentee = Флеш-встреча с наставником ({ $name }) так и не состоялась за { $days } дн., поэтому запрос закрыт. Если помощь ещё нужна, оставьте новый запрос.
flash-pair-idle-mentor = Флеш-встреча с коллегой ({ $name }) не состоялась за { $days } дн., запрос закрыт. Спасибо, что откликнулись!

program-end-how = Как завершается наставничество?
program-btn-goal = 🎯 Цель достигнута — завершить
program-btn-early = ⏹ Завершить досрочно
pair-ended-goal = Наставничество с { $nameIns } завершено: цель достигнута. Поздравляем и спасибо за работу!
curator-pair-ended-goal =
    Завершено наставничество (цель достигнута): { $mentor } → { $mentee }.
    Цель: { $goal }
    Встреч проведено: { $held }; пунктов плана: { $done } из { $total }.
    Полезность встреч: { $usefulness }; удовлетворённость: { $satisfaction }; рост самооценки: { $growth }.

xl-program-goal = завершена: цель достигнута

request-passed-on-mentee = Наставник не смог взять ваш запрос — я предложил его следующему подходящему наставнику (ответ ждём до { $deadline }). Следить за запросом: /myrequests
offer-withdrawn-cancelled = Запрос, по которому вам пришло предложение, отменён. Отвечать на него больше не нужно, спасибо!
offer-withdrawn-curator = Куратор уже решил судьбу запроса, по которому вам пришло предложение. Отвечать на него больше не нужно, спасибо!
pair-assigned-mentee = 🤝 Куратор ({ $curator }) { $curatorGender ->
        [male] назначил
       *[female] назначила
    } вам наставника: { $name }. Почему: { $why }{ $reason }. Связь: { $contact }. Подтвердите, пожалуйста, согласие на закрепление наставнической пары.
pair-assigned-mentor = 🤝 Куратор ({ $curator }) { $curatorGender ->
        [male] назначил
       *[female] назначила
    } вас наставником коллеги: { $name }. Почему: { $why }{ $reason }. Связь: { $contact }. Подтвердите, пожалуйста, согласие на закрепление наставнической пары и дополнительные обязанности наставника.
assign-why-override = решение куратора
assign-why-reassigned = куратор сменил наставника по этому запросу
assign-why-no-candidates = подходящего свободного наставника не нашлось автоматически
assign-why-exhausted = наставники, которым предлагался запрос, не смогли его взять
assign-why-curator-choice = куратор подобрал наставника сам

myrequests-none = У вас пока нет запросов. Отправить запрос наставнику: /request
myrequests-title = <b>Мои запросы</b> (последние { $n })
myrequests-item =
    <b>{ $n }. { $topics }</b> — { $kind }
    Статус: { $status }{ $mentor }
    { $history }
myrequests-mentor = , наставник: { $name }
myrequests-cancel = ✖️ Отменить запрос { $n }
myrequests-cancel-ask = Отменить запрос «{ $topics }»? Наставникам, которым он предложен, придёт уведомление.
myrequests-cancel-yes = Да, отменить
myrequests-cancel-no = Нет, оставить
myrequests-cancelled = Запрос отменён. Если помощь понадобится, отправьте новый: /request
myrequests-cancel-kept = Хорошо, запрос остаётся в работе.
myrequests-not-open = Этот запрос уже нельзя отменить: его статус изменился.
cmd-myrequests = Мои запросы
menu-myrequests = 📄 Мои запросы
history-line = { $at } — { $status }

meeting-with-person = с вами встречается: { $with_name }
meeting-with-host = ведёт: { $with_name }
meeting-with-group = записались: { $with_n }
meeting-cant-come = 🙅 Не смогу прийти
meeting-cant-come-thanks = Спасибо, что предупредили: ведущему передано.
meeting-cant-come-host = { $name } не сможет прийти на встречу «{ $topic }» { $when }.
meeting-log-summary =
    📝 Итоги встречи с наставником ({ $name }), { $when }:
    { $covered }
    Следующий шаг: { $next }
meeting-log-summary-no-step =
    📝 Итоги встречи с наставником ({ $name }), { $when }:
    { $covered }

question-new =
    ❓ <b>Вопрос коллеги</b> (тема: { $topics })
    «{ $text }»
    Если можете помочь, ответьте — ответ придёт коллеге в чат. Вопрос открыт до { $deadline }; первый ответ закрывает его для остальных.
question-btn-answer = ✍️ Ответить
question-btn-thank = 🙏 Спасибо
question-btn-more = ❓ Уточнить
question-ask-answer = Напишите ответ коллеге (до 2000 символов). Контакты не обязательны — ответ придёт в чат.
question-ask-follow-up = Что уточнить? Напишите вопрос наставнику (до 1000 символов).
question-answer-sent = Спасибо! Ответ отправлен коллеге.
question-follow-up-sent = Уточнение отправлено наставнику.
question-stale = Этот вопрос уже закрыт или на него уже ответили. Спасибо!
question-sent = Вопрос отправлен подходящим наставникам. Первый ответ придёт сюда, в чат (вопрос открыт до { $deadline }).
question-to-curator = Подходящего наставника для вопроса сейчас нет — вопрос передан куратору.
question-answer =
    💬 <b>Ответ наставника</b> ({ $name }) на ваш вопрос «{ $question }»:
    { $answer }
question-follow-up-answer =
    💬 <b>Наставник ответил на уточнение</b> ({ $name }):
    { $answer }
question-taken = На вопрос коллеги уже ответили. Спасибо за готовность помочь!
question-follow-up =
    ❓ Уточнение к вашему ответу ({ $name }):
    «{ $text }»
question-thanked = 🙏 Коллега ({ $name }) благодарит вас за ответ на вопрос.
question-thanks-sent = Спасибо передано!

menu-become-mentor = 🌱 Стать наставником
mentor-application-offer = Вы пока не в реестре наставников. Если готовы делиться опытом с коллегами, предложите свою кандидатуру — заявку рассмотрит куратор вашего детского сада.
mentor-application-btn = 🌱 Предложить себя в наставники
mentor-application-ask = Расскажите коротко, чем вы можете помочь коллегам: темы, опыт, достижения (10–1000 символов).
mentor-application-ask-reason = Почему заявка отклоняется? Коротко (3–500 символов) — причину увидит педагог.
mentor-application-sent = Спасибо! Заявка отправлена куратору. Когда он примет решение, я напишу вам.
mentor-application-pending = Ваша заявка в наставники уже у куратора — дождитесь, пожалуйста, решения.
mentor-application-already_mentor = Вы уже в реестре наставников: профиль — /mentor.
mentor-application-not_allowed = Заявку сейчас подать нельзя: проверьте, что регистрация завершена.
mentor-application-state = По этой заявке уже принято решение или она вам недоступна.
mentor-application-new =
    🌱 <b>Заявка в наставники</b>: { $name }
    «{ $motivation }»
mentor-application-approve = ✅ Одобрить
mentor-application-decline = ✖️ Отклонить с причиной
mentor-application-approved-ok = Заявка одобрена: педагог получил роль наставника.
mentor-application-declined-ok = Заявка отклонена, педагог получил ваш ответ.
mentor-application-approved = 🎉 Куратор ({ $curator }) { $curatorGender ->
        [male] одобрил
       *[female] одобрила
    } вашу заявку в наставники. Заполните профиль наставника — темы, нагрузку и удобное время: /mentor
mentor-application-declined = Куратор ({ $curator }) пока не { $curatorGender ->
        [male] одобрил
       *[female] одобрила
    } вашу заявку в наставники. Причина: «{ $reason }». Вы можете подать заявку снова позже.
dg-questions = Быстрые вопросы: задано { $asked } ({ $askedDelta }), получили ответ наставника: { $answered } · ждут ответа сейчас: { $waiting }
