# Анкеты, диагностика, кампании опросов (issue 16)
cmd-surveys = Опросы и анкеты
cmd-diagnostic = Диагностика дефицитов
qs-question =
    <i>{ $title } · вопрос { $n } из { $total }</i>
    <b>{ $text }</b>
    { $kind ->
        [scale] Оцените от 1 до 5.
        [scale_labels] Оцените: { $labels }.
        [multiple] Можно выбрать несколько вариантов, затем нажмите «Готово».
        [text] Нажмите «Написать ответ» и отправьте его сообщением.
       *[other] Выберите вариант.
    }
qs-question-intro =
    <b>{ $title }</b>{ $anonymous ->
        [yes] {" "}🔒
       *[no] {""}
    }
    { $intro }

    { qs-question }
qs-btn-done = Готово
qs-btn-write = ✍️ Написать ответ
qs-btn-skip = Пропустить
qs-btn-pause = ⏸ Продолжить позже
qs-btn-continue = Продолжить
qs-btn-continue-n = ▶️ Продолжить опрос { $n }
qs-btn-diagnostic = 🧭 Пройти диагностику дефицитов
qs-finished = Спасибо, ответы записаны!
qs-finished-diagnostic = Спасибо, диагностика пройдена. Когда вы откроете /request, бот предложит темы, где оценки ниже всего, — их можно подтвердить или изменить.
qs-paused = Опрос на паузе: отвечено { $n } из { $total }. Продолжить можно в любой момент командой /surveys.
qs-reminder = Напоминание: опрос «{ $title }» нужно заполнить до { $deadline }. Отвечено { $answered } из { $total }.
qs-closed = Срок этого опроса истёк.
qs-invalid = Такой ответ не подходит для этого вопроса.
qs-diagnostic-mentees-only = Диагностика дефицитов доступна наставляемым педагогам.
qs-register-first = Сначала зарегистрируйтесь: отправьте /start.
qs-title = Опросы и анкеты
qs-none-open = Незаконченных опросов нет.
qs-progress = отвечено { $answered } из { $total }
qs-ask-text =
    { $text }
    Напишите ответ одним сообщением (до { $max } символов).
qc-title = Кампании опросов
qc-none = Вы ещё не отправляли опросы.
qc-line = ответили { $done } из { $recipients }, срок { $deadline }
qc-btn-results-n = 📊 Итоги { $n }
qc-btn-new = ➕ Отправить опрос
qc-summary-head = Срок: { $deadline }. Ответили: { $done } из { $recipients } (в процессе: { $progress }).
qc-summary-anonymous = 🔒 Анонимный опрос: имена отвечающих не хранятся и не показываются.
qc-summary-none = Ответов пока нет.
qc-summary-scale = Средняя оценка { $average } (ответов: { $n }); { $dist }
qc-chart-axis = Средняя оценка (1–5)
qc-chart-caption = Средние оценки по вопросам, ответов: { $done }
qc-no-scope = Отправлять опросы могут кураторы организации или сети.
qc-ask-set = Какой опрос отправить? (🔒 — анонимный)
qc-ask-audience = Кому отправить?
qc-audience-all = Наставникам и наставляемым
qc-audience-mentee = Наставляемым
qc-audience-mentor = Наставникам
qc-ask-scope = В какой организации или сети?
qc-ask-deadline = Срок ответа:
qc-days = { $n ->
    [one] { $n } день
    [few] { $n } дня
   *[other] { $n } дней
}
qc-nobody = В выбранном охвате нет зарегистрированных участников с этой ролью.
qc-confirm =
    <b>Отправить опрос?</b>
    Опрос: { $title }
    Кому: { $audience }
    Где: { $scope }
    Срок: до { $deadline } включительно
    Получат: { $n }
    { $anonymous ->
        [yes] 🔒 Анонимный: в итогах не будет имён.
       *[no] {""}
    }
qc-btn-send = Отправить
qc-btn-discard = Отменить
qc-discarded = Отправка отменена.
qc-sent = Опрос отправлен: получателей — { $n }. За сутки до срока бот напомнит тем, кто не закончил. Итоги — в /surveys.
qc-refused-not_allowed = Отправить опрос в эту организацию вы не можете.
qc-refused-no_set = Такого опроса больше нет.
qc-refused-deadline = Срок уже слишком близко.
qc-refused-nobody = Получателей не нашлось.
request-suggested =
    По вашей диагностике ниже всего оценки в темах:
    { $list }
    Взять эти темы для запроса?
request-suggested-use = ✅ Да, взять эти темы
request-suggested-change = ✏️ Выбрать темы самостоятельно
xl-identified-diagnostic = диагностика
xl-identified-self_assessment = самооценка
xl-identified-curator_observation = наблюдение куратора
xl-sheet-questionnaires = Анкетирование
xl-col-qn-set = Анкета
xl-col-qn-occasion = Повод
xl-col-qn-answered = Дата ответа
xl-col-qn-respondent = Респондент
xl-col-qn-question = Вопрос
xl-col-qn-answer = Ответ
xl-col-qn-score = Балл
xl-qn-anonymous = Анонимно
xl-qn-skipped = (пропущен)
xl-qn-occasion-campaign = рассылка куратора
xl-qn-occasion-self = по желанию педагога
xl-qn-occasion-adaptation = адаптация, { $months } мес.
xl-qn-occasion-program-start = начало программы
xl-qn-occasion-program-end = окончание программы
dg-risk-adaptation_drop = { $who }: оценка адаптации снизилась до { $n }
dg-risk-satisfaction_drop = { $who }: удовлетворённость работой снизилась до { $n }
cmd-startdate = Дата начала работы
qs-work-started = Начало работы в детском саду: { $date }.
qs-btn-work-start = 📅 Указать дату начала работы
qs-btn-work-start-change = 📅 Изменить дату начала работы
ws-ask = С какого дня вы работаете в этом детском саду? Напишите дату, например 01.09.2026. Через 1, 3 и 12 месяцев бот пришлёт короткий опрос об адаптации.
ws-error-format = Не удалось прочитать дату. Пример: 01.09.2026
ws-error-range = Дата должна быть не позже сегодняшней и не раньше чем пять лет назад.
ws-error-not_allowed = Сначала зарегистрируйтесь: отправьте /start.
ws-saved = Дата сохранена. Запланировано опросов об адаптации: { $n }.
qs-flag-adaptation_drop = ⚠️ Сигнал риска: снизилась оценка адаптации — с { $before } до { $after } (педагог: { $name }). Стоит поговорить с педагогом и наставником.
qs-flag-satisfaction_drop = ⚠️ Сигнал риска: к концу программы снизилась удовлетворённость работой — с { $before } до { $after } (педагог: { $name }).
rx-wellbeing-title = Адаптация и удовлетворённость (средняя оценка 1–5)
rx-wellbeing-none = Опросов об адаптации и удовлетворённости за период нет.
rx-wellbeing-line = { $occasion }: { $average } (ответов: { $n })
rx-occasion-adapt-1 = адаптация через 1 месяц
rx-occasion-adapt-3 = адаптация через 3 месяца
rx-occasion-adapt-12 = адаптация через 12 месяцев
rx-occasion-program-start = удовлетворённость в начале программы
rx-occasion-program-end = удовлетворённость в конце программы
rx-plan-title = План и факт
rx-plan-items = Пункты планов: в срок — { $onTime }, с опозданием — { $late }, не выполнено — { $notDone }, впереди — { $ahead }.
rx-plan-year = Программы { $year } года: запланировано к завершению — { $planned }, завершено — { $completed }.
rx-plan-program = в срок { $onTime }, с опозданием { $late }, не выполнено { $notDone }, впереди { $ahead }
rx-more = …и ещё { $n }
xl-sheet-plan = План и факт
xl-col-plan-goal = Цель программы
xl-col-plan-status = Статус программы
xl-col-plan-start = Начало
xl-col-plan-end = Окончание
xl-col-plan-items = Пунктов плана
xl-col-plan-on-time = Выполнено в срок
xl-col-plan-late = Выполнено с опозданием
xl-col-plan-not-done = Не выполнено
xl-col-plan-ahead = Впереди
qs-identified-label = Как выявлены дефициты
qs-btn-observed = 👁 Дефициты выявлены наблюдением куратора
qs-observed-ok = Отмечено: дефициты выявлены наблюдением куратора.
