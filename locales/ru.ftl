# Nastavnik — русская локаль (по умолчанию). Ключи совпадают с en.ftl.

## Команды (описания в меню Telegram)
cmd-start = Главное меню
cmd-help = Что умеет бот
cmd-cancel = Отменить текущее действие
cmd-language = Сменить язык

## Общие
start-welcome =
    Здравствуйте, { $name }!
    Я «Наставник» — помогаю вести наставничество педагогов в детском саду: молодые педагоги находят наставника, договариваются о встречах и получают поддержку, а куратор видит, как идёт работа.
start-menu-hint = Команды — в меню слева от поля ввода. Справка: /help
help =
    <b>Что умеет «Наставник»</b>
    /start — главное меню
    /language — сменить язык (русский / English)
    /cancel — прервать текущий диалог
    /help — эта справка

    Вопросы по программе наставничества задавайте куратору вашего детского сада.
cancel-done = Хорошо, действие отменено.
cancel-nothing = Сейчас нечего отменять.
language-choose = Выберите язык общения:
language-set = Готово: теперь я говорю по-русски.
language-otherwise = Пожалуйста, выберите язык кнопкой под сообщением или отправьте /cancel.
language-ru = Русский
language-en = English
error-generic = Извините, что-то пошло не так, и действие не выполнено. Попробуйте ещё раз чуть позже — если ошибка повторится, мы уже знаем о ней.
callback-expired = Эта кнопка больше не действует.
unknown-command = Я не знаю такой команды. Список команд: /help
cmd-profile = Мой профиль
cmd-privacy = Какие данные хранятся и зачем
cmd-mydata = Выгрузить мои данные (JSON)
cmd-deleteme = Удалить мои данные
cmd-invite = Пригласить педагогов
cmd-joins = Заявки на вступление

## Диалоги
dialog-use-buttons = Пожалуйста, выберите вариант кнопкой под последним сообщением или отправьте /cancel.
dialog-text-expected = Пожалуйста, ответьте текстом (или отправьте /cancel, чтобы прервать).
not-registered = Вы ещё не зарегистрированы. Отправьте /start, чтобы начать.
not-allowed = Это действие вам недоступно.

## Регистрация
onboarding-welcome = Здравствуйте! Я «Наставник» — бот программы наставничества педагогов вашего детского сада. Регистрация займёт пару минут.
consent-pd-text =
    <b>Согласие на обработку персональных данных</b> (версия { $version })

    Я даю согласие оператору — образовательной организации, в которой работаю, — на обработку моих персональных данных в Telegram-боте «Наставник»: фамилия, имя, отчество; год рождения; должность; педагогический стаж; квалификационная категория; профиль образования; место работы; идентификатор и имя пользователя Telegram; мои запросы, ответы на опросы и записи о встречах наставничества.

    Цель обработки — организация наставничества педагогических работников: формирование базы наставляемых и реестра наставников, подбор наставнических пар, планирование встреч, мониторинг программы.

    Данные хранятся до отзыва согласия. Согласие можно отозвать в любой момент командой /deleteme — данные будут удалены, останутся только обезличенные итоги. Посмотреть, что хранится: /privacy и /mydata.

    Это согласие отдельно от согласий на публикацию материалов и на участие в наставнической паре — их бот спросит отдельно, когда понадобится.
consent-agree = ✅ Даю согласие
consent-refuse = Не даю согласия
consent-refused = Понимаю. Без согласия бот не может хранить ваши данные, поэтому регистрация не продолжится. Ваш отказ записан (без других данных). Если передумаете — отправьте /start.
profile-intro = Спасибо! Теперь несколько вопросов для профиля. Роль: { $role }.
profile-ask-fullName = Как вас зовут? Напишите фамилию, имя и отчество (например: Иванова Мария Петровна).
profile-ask-birthYear = Год рождения (четыре цифры, например 1998)?
profile-ask-position = Ваша должность:
profile-ask-positionOther = Напишите вашу должность:
profile-ask-experienceYears = Сколько лет вы работаете педагогом? Напишите число (0, если меньше года).
profile-ask-qualificationCategory = Квалификационная категория:
profile-ask-educationProfile = Профиль образования:
profile-error-name-length = Имя должно быть от 5 до 100 символов. Напишите фамилию, имя и отчество.
profile-error-name-format = Пожалуйста, напишите ФИО буквами: 2–4 слова, без цифр и символов (например: Иванова Мария Петровна).
profile-error-birth-year = Напишите год рождения четырьмя цифрами, например 1998.
profile-error-experience = Напишите стаж числом лет от 0 до 60, например 2.
profile-error-position-other = Напишите должность: от 3 до 80 символов.
profile-years = { $n } { $n ->
        [one] год
        [few] года
       *[other] лет
    }
profile-label-fullName = ФИО
profile-label-birthYear = Год рождения
profile-label-position = Должность
profile-label-experienceYears = Стаж
profile-label-qualificationCategory = Категория
profile-label-educationProfile = Образование
profile-label-organization = Организация
profile-label-role = Роль
summary-title = Проверьте данные
summary-confirm = ✅ Всё верно
position-educator = Воспитатель
position-senior_educator = Старший воспитатель
position-music_director = Музыкальный руководитель
position-pe_instructor = Инструктор по физической культуре
position-speech_therapist = Учитель-логопед
position-psychologist = Педагог-психолог
position-defectologist = Учитель-дефектолог
position-methodologist = Методист
position-head = Заведующий
position-other = Другое
category-none = Без категории
category-meets_position = Соответствие занимаемой должности
category-first = Первая
category-highest = Высшая
category-teacher_mentor = Педагог-наставник
category-teacher_methodologist = Педагог-методист
education-pedagogical = Педагогическое
education-non_core = Непрофильное
education-retraining = Переподготовка
role-mentee = наставляемый
role-mentor = наставник
role-curator = куратор
role-admin = администратор
org-search-ask = Напишите название вашего детского сада (например: «Детский сад 27» или «Белоевский»).
org-search-none = По запросу «{ $query }» ничего не нашлось. Попробуйте написать название иначе.
org-search-results = Найдено: { $total } (страница { $page } из { $pages }). Выберите вашу организацию:
org-search-again = 🔎 Искать снова
org-chosen = Организация: <b>{ $name }</b>
onboarding-done = Готово! Вы зарегистрированы: { $role }, { $organization }.
onboarding-pending = Готово! Заявка на вступление в { $organization } отправлена куратору. Я сообщу, когда её рассмотрят.
invite-invalid = Ссылка-приглашение недействительна. Попросите куратора прислать новую.
invite-role-added = Приглашение принято: теперь у вас есть роль «{ $role }» в { $organization }.

## Меню
menu-title = Главное меню
menu-who = { $name }, { $organization }
menu-no-roles = пока нет
menu-pending = ⏳ Заявка в { $organization } ждёт подтверждения куратора.
menu-profile = 👤 Профиль
menu-privacy = 🔒 Мои данные
menu-invite = ✉️ Пригласить
menu-joins = 📥 Заявки
menu-language = 🌐 Язык

## Профиль
profile-title = Ваш профиль
profile-save = 💾 Сохранить
profile-close = Закрыть
profile-saved = Профиль сохранён.
profile-unchanged = Профиль не изменён.

## Приглашения и заявки
invite-pick-org = Для какой организации приглашение?
invite-pick-role = Приглашение в { $organization }. Кого приглашаем?
invite-pick-uses = Сколько человек смогут воспользоваться ссылкой?
invite-uses = { $n ->
        [one] { $n } человек
       *[other] до { $n } человек
    }
invite-pick-ttl = Сколько действует ссылка?
invite-days = { $n } { $n ->
        [one] день
        [few] дня
       *[other] дней
    }
invite-created =
    Приглашение готово: { $organization }, роль «{ $role }», использований: { $uses }, срок: { $days } дн.
    Перешлите ссылку педагогам:
    { $link }
invite-revoke = Отозвать приглашение
invite-revoked = Приглашение отозвано.
invite-already-revoked = Приглашение уже отозвано.
join-request-new = 📥 Заявка на вступление: { $name } хочет присоединиться к { $organization } как наставляемый.
join-approve = ✅ Принять
join-reject = Отклонить
join-already-decided = По этой заявке уже принято решение.
join-approved-curator = ✅ Заявка принята: { $name }.
join-rejected-curator = Заявка отклонена: { $name }.
join-approved = Ваша заявка подтверждена куратором: вы участник программы наставничества в { $organization }. Меню: /start
join-rejected = Куратор { $organization } отклонил заявку. Если это ошибка, свяжитесь с куратором лично.
joins-none = Новых заявок нет.

## Данные
privacy-text =
    <b>Какие данные хранит «Наставник» и зачем</b>
    • Идентификатор и имя пользователя Telegram, язык — чтобы отвечать вам и присылать напоминания.
    • Профиль: ФИО, год рождения, должность, стаж, категория, образование, организация — для базы наставляемых и реестра наставников, подбора наставника.
    • Роли и организация — чтобы показывать только то, что вам положено.
    • Согласия: какой текст (версия) и когда вы приняли или отозвали.
    • Заявки, запросы, встречи и ответы на опросы — для работы пар и мониторинга программы.
    Данные видят только вы, ваш наставник или наставляемый (в пределах пары) и куратор вашей организации или сети.

    /mydata — выгрузить всё, что хранится, файлом JSON.
    /deleteme — удалить ваши данные (останутся только обезличенные итоги).
mydata-caption = Все данные, которые «Наставник» хранит о вас.
mydata-none = О вас не хранится никаких данных.
deleteme-confirm = Удалить все ваши персональные данные? Открытые запросы и пары будут завершены, напоминания отменены, участники пар получат нейтральное уведомление. Останутся только обезличенные итоги. Это действие нельзя отменить.
deleteme-yes = Да, удалить мои данные
deleteme-no = Нет, оставить
deleteme-cancelled = Хорошо, ничего не удалено.
deleteme-done = Ваши персональные данные удалены. Спасибо, что были с нами. Если захотите вернуться — отправьте /start.

## Запросы и подбор наставника
cmd-request = Запрос наставнику
cmd-mentor = Профиль наставника
cmd-requests = Открытые запросы
cmd-mentors = Реестр наставников
menu-request = 🙋 Нужна помощь
menu-mentor = 🧑‍🏫 Профиль наставника
menu-requests = 📋 Запросы
menu-mentors = 📚 Наставники
picker-done = Готово ✔️
picker-none = ничего не выбрано
picker-skip = Пропустить
picker-min = Выберите хотя бы { $n }.
picker-max = Можно выбрать не больше { $n }.
yes = Да
no = Нет
text-length-error = Нужно от { $min } до { $max } символов (сейчас { $length }).
request-mentees-only = Запрос наставнику могут отправить наставляемые. Если вам нужна помощь, попросите у куратора приглашение.
request-ask-topics = С чем нужна помощь? Выберите раздел, затем 1–3 темы (или «Другое»).
request-topic-other = ✍️ Другое (написать)
request-chosen = Выбрано
request-ask-group-items = Отметьте темы (всего не больше { $max }):
request-ask-other = Коротко опишите тему (3–200 символов):
request-error-other = Тема должна быть от 3 до 200 символов.
request-ask-description = Опишите ситуацию: что происходит и что хотелось бы получить (10–1000 символов).
request-error-description = Описание должно быть от { $min } до { $max } символов, сейчас { $length }.
request-ask-kind = Какая помощь нужна?
kind-flash = Разовая флеш-встреча
kind-long_term = Долгосрочная пара с программой (3–12 мес.)
kind-question = Быстрый вопрос
request-ask-mode = Формат встреч:
mode-in_person = Очно
mode-online = Онлайн
mode-any = Любой
request-ask-days = В какие дни вам удобно? (можно пропустить — «Готово»)
request-ask-parts = В какое время дня?
weekday-1 = Пн
weekday-2 = Вт
weekday-3 = Ср
weekday-4 = Чт
weekday-5 = Пт
weekday-6 = Сб
weekday-7 = Вс
daypart-morning = Утро 8–12
daypart-day = День 12–16
daypart-evening = Вечер 16–20
request-summary-title = Ваш запрос
request-label-topics = Темы
request-label-description = Ситуация
request-label-kind = Помощь
request-label-mode = Формат
request-label-times = Удобное время
request-times-any = любое
request-confirm = ✅ Отправить
request-discard = Отменить
request-discarded = Запрос не отправлен.
request-saved = ✅ Запрос сохранён.
request-cards-title = <b>Подходящие наставники</b> (контакты откроются, когда наставник примет запрос):
request-choose = Выбрать { $n }
request-any = Кто первый освободится
request-choice-stale = Этот выбор уже неактуален.
request-sent-one = Запрос отправлен наставнику. Если он не ответит до { $deadline }, я предложу запрос следующему.
request-sent-any = Запрос отправлен сразу нескольким наставникам: первый, кто согласится, станет вашим наставником.
request-escalated-mentee = Подходящий наставник пока не нашёлся — запрос передан куратору, он подберёт наставника.
request-closed-mentee = Ваш запрос закрыт куратором. Если помощь всё ещё нужна, отправьте новый: /request
reason-topics = темы: { $topics }
reason-same_org = ваш детский сад
reason-network = наставник сети детских садов
reason-availability = совпадает удобное время (~{ $hours } ч в неделю)
reason-rating = оценка полезности { $avg } ({ $n } отзывов)
reason-load = свободно мест: { $free } из { $capacity }
reason-responsive = быстро отвечает на запросы
offer-new =
    📨 <b>Новый запрос на наставничество</b>
    { $mentee }, { $organization }
    Темы: { $topics }
    Ситуация: { $description }
    Формат: { $kind }; { $mode }
    { $hasTimes ->
        [yes] Удобное время наставляемой: { $days }; { $parts } (по её часовому поясу)
       *[no] Удобное время наставляемой: любое
    }
    Ответьте, пожалуйста, до { $deadline }.
offer-accept = ✅ Принять
offer-decline = Отказаться
offer-ask = ❓ Задать вопрос
offer-answer = ✍️ Ответить
offer-reminder =
    ⏰ Напоминание: запрос ждёт вашего ответа.
    { $mentee }: { $description }
offer-expired = Время ответа на запрос истекло — он передан другому наставнику.
offer-withdrawn = Запрос уже принял другой наставник, спасибо!
offer-declined = Хорошо, запрос передан дальше. Спасибо за ответ!
offer-already_answered = На это предложение уже ответили.
offer-taken = Этот запрос уже взял другой наставник.
offer-full = У вас нет свободных мест (достигнута нагрузка), запрос передан дальше.
offer-ask-decline-reason = Можно коротко указать причину отказа (необязательно):
offer-decline-no-reason = Без причины
offer-ask-question = Напишите вопрос — я передам его наставляемому:
offer-question-sent = Вопрос отправлен. Ответ придёт сюда.
offer-question = ❓ Вопрос от наставника по вашему запросу: { $question }
offer-ask-answer = Напишите ответ наставнику:
offer-answer-sent = Ответ передан наставнику.
offer-answer-relayed =
    Ответ наставляемого на ваш вопрос «{ $question }»:
    { $answer }
pair-formed-mentee = 🎉 Наставник принял ваш запрос: { $name }. Связь: { $contact }. Подтвердите, пожалуйста, согласие на закрепление наставнической пары.
pair-formed-mentor = 🎉 Пара сформирована: ваш наставляемый — { $name }. Связь: { $contact }. Подтвердите, пожалуйста, согласие на закрепление наставнической пары и дополнительные обязанности наставника.
pair-consent = ✍️ Согласие на закрепление пары
pair-consent-text =
    <b>Согласие на закрепление наставнической пары</b>

    Я, { $name }, { $gender ->
        [male] согласен
       *[female] согласна
    } на закрепление наставнической пары в { $organization }: { $role ->
        [mentor] я — наставник, наставляемый — { $partner }.
       *[mentee] я — наставляемый, наставник — { $partner }.
    }
    Форма наставничества: { $kind }. Срок: { $term }.
    { $role ->
        [mentor] Обязанности наставника: составить с наставляемым персонализированную программу и вести её, проводить встречи и отмечать их итоги, помогать в преодолении профессиональных затруднений, отвечать на опросы куратора.
       *[mentee] Обязанности наставляемого: участвовать в составлении персонализированной программы и выполнять её план, приходить на встречи, отвечать на короткие опросы о пользе встреч.
    }
    Основание: положение о системе наставничества педагогических работников { $organization }, статья 351.8 Трудового кодекса РФ. { $role ->
        [mentor] Наставничество — дополнительная работа, которая возлагается только с письменного согласия; доплата или стимулирующие выплаты за неё устанавливаются локальным нормативным актом организации.
       *[mentee] Участие наставляемого в программе отдельно не оплачивается.
    }
    Согласие можно отозвать, сообщив куратору; тогда пара будет завершена.
pair-consent-agree = { $gender ->
        [male] ✅ Согласен
       *[female] ✅ Согласна
    }
pair-consent-ask = ❓ Вопрос куратору
pair-consent-asked = Ваш вопрос передан куратору, с вами свяжутся. Дать согласие можно позже — кнопкой под текстом согласия.
pair-consent-question-curator = ❓ { $name } ({ $role ->
        [mentor] наставник
       *[mentee] наставляемый
    }, пара с участием: { $partner }) хочет задать вопрос о закреплении пары перед согласием. Связь: { $contact }.
pair-consent-already = Согласие уже записано.
pair-consent-recorded = Согласие записано. Спасибо!
pair-reassigned-mentor = По решению куратора ваш наставляемый переходит к другому наставнику. Спасибо за работу!
request-escalated =
    ⚠️ <b>Запрос без наставника</b>
    { $mentee }, { $organization }
    Темы: { $topics }
    { $description }
request-open = Открыть запрос
requests-none = Открытых запросов нет.
requests-title = <b>Открытые запросы</b>: { $total } (стр. { $page } из { $pages })
request-card-title = Запрос
request-assign = Назначить наставника
request-reassign = Переназначить
request-close = Закрыть запрос
request-closed = Запрос закрыт.
status-new = новый
status-offered = предложен наставнику
status-matched = пара сформирована
status-escalated = ждёт куратора
status-cancelled = отменён
status-closed = закрыт
age-hours = { $n } ч
age-days = { $n } дн.
assign-pick = Кого назначить? ✅ — подходит по фильтрам, ⚠️ — назначение только с указанием причины.
assign-no-mentors = В реестре нет наставников для этой организации.
assign-done = Наставник назначен, пара сформирована.
assign-not_allowed = Это действие вам недоступно.
assign-state = Запрос уже не в том состоянии — обновите список: /requests
assign-full = У этого наставника нет свободных мест.
assign-filters = Не выполнены условия подбора.
assign-filters-failed = Этот наставник не проходит условия подбора: { $failures }.
assign-ask-reason = Чтобы всё же назначить, напишите причину (5–500 символов) или отправьте /cancel.
filter-not_approved = не одобрен куратором
filter-paused = на паузе
filter-capacity = нет свободных мест
filter-mode = другой формат встреч
filter-organization = другая организация вне сети
filter-self = это сам наставляемый
filter-excluded = уже отказался от этого запроса
mentor-load = { $active }/{ $capacity }
mentors-none = В реестре пока нет наставников.
mentors-title = <b>Реестр наставников</b> ({ $total }):
mentor-state-pending = ждёт одобрения
mentor-state-paused = на паузе
mentor-state-full = нагрузка полная
mentor-state-ready = готов
mentor-approved = Наставник одобрен.
mentor-already-approved = Уже одобрен.
mentor-approved-notice = Ваш профиль наставника одобрен куратором: теперь вам будут приходить запросы.
mentor-only = Профиль наставника доступен педагогам с ролью наставника. Попросите у куратора приглашение наставника.
mentor-intro-new = Заполним профиль наставника для реестра.
mentor-intro-edit = Обновим профиль наставника (текущие значения отмечены).
mentor-ask-competences = По каким темам вы готовы помогать? Выберите раздел и отметьте темы.
mentor-ask-group-items = Отметьте темы:
mentor-ask-capacity = Сколько наставляемых вы готовы вести одновременно?
mentor-ask-forms = Формы наставничества:
form-individual = Индивидуальная
form-group = Групповая
form-flash = Флеш-встречи
form-reverse = Реверсивная
mentor-ask-mode = Формат встреч:
mentor-ask-days = В какие дни вы можете встречаться? (время — { $zone })
mentor-ask-parts = В какое время дня?
mentor-ask-network = Готовы помогать педагогам других детских садов вашей сети?
mentor-ask-pause = Сейчас принимаете запросы?
mentor-pause-none = Да, принимаю
mentor-pause-date = Пауза до даты
mentor-ask-pause-date = До какой даты пауза? Например: 15.12.2026
mentor-error-pause-date = Напишите будущую дату в виде ДД.ММ.ГГГГ, например 15.12.2026.
mentor-saved = Профиль наставника сохранён.
mentor-saved-pending = Профиль наставника сохранён и отправлен куратору на одобрение.
mentor-label-competences = Темы
mentor-label-capacity = Нагрузка
mentor-approval-request = 🧑‍🏫 Новый наставник в реестре: { $name }. Темы: { $topics }. Одобрить для подбора?
mentor-approve = ✅ Одобрить
counterpart-left = Участник вашей наставнической пары покинул программу, пара завершена. Если нужна новая пара — /request или обратитесь к куратору.

## Встречи
cmd-session = Назначить встречу
cmd-sessions = Мои встречи
menu-session = 📅 Встреча
menu-sessions = 🗓 Мои встречи
session-no-pair = Встречи назначаются внутри наставнической пары. Пары у вас пока нет: /request
session-pick-pair = С кем встреча?
session-reschedule-intro = Перенос встречи «{ $topic }»: предложите новое время.
session-ask-topic = Тема встречи (пара: { $name }):
session-ask-topic-text = Напишите тему встречи (3–200 символов):
session-ask-duration = Длительность:
session-minutes = { $n } мин
session-ask-mode = Формат:
session-ask-place = Где встречаемся? (кабинет, группа, адрес)
session-ask-link = Ссылка на онлайн-встречу (или где её найти):
session-ask-slots = Предложите до трёх вариантов времени (время — { $zone }). Отметьте подходящие или введите своё.
session-type-time = ✍️ Ввести время
session-ask-time-text = Напишите дату и время ({ $zone }), например: 24.11 15:30, завтра 15:30, в среду 13:30, 2026-11-24 15:30.
session-need-slot = Выберите или введите хотя бы одно время.
session-failed = Не удалось предложить встречу: проверьте, что пара активна и время в будущем.
session-proposed =
    Предложение отправлено. Кому: { $name }. Варианты:
    { $slots }
datetime-error-format = Не понимаю дату. Напишите, например: 24.11 15:30, завтра 15:30 или 24.11.2026 15:30.
datetime-error-past = Это время уже прошло. Укажите будущее время.
datetime-error-too_far = Слишком далеко: можно назначить не позже чем через год.
datetime-error-invalid_date = Такой даты нет в календаре. Проверьте число и месяц.
meeting-proposed =
    📅 { $name } предлагает встречу: «{ $topic }», { $duration } мин, { $place }.
    Выберите удобное время (показано в вашем часовом поясе):
meeting-reproposed =
    📅 { $name } предлагает перенести встречу «{ $topic }». Выберите новое время (в вашем часовом поясе):
meeting-other-times = 🔁 Другое время
meeting-other-times-asked = { $name } просит предложить другое время.
meeting-propose-again = 📅 Предложить снова
meeting-confirmed =
    ✅ Встреча назначена: { $when }
    Тема: { $topic }. С кем: { $with }. Место: { $place }.
    Файл календаря — во вложении.
meeting-moved =
    🔁 Встреча перенесена: { $when }
    Тема: { $topic }. С кем: { $with }. Место: { $place }.
meeting-cancelled = ❌ Встреча { $when } («{ $topic }») отменена.
meeting-cancel = Отменить
meeting-reschedule = Перенести
meeting-cancel-done = Встреча отменена.
meeting-stale = Эта кнопка уже неактуальна.
meeting-past = Это время уже прошло — попросите другое.
meeting-reminder =
    ⏰ Напоминание: встреча { $when } — «{ $topic }», { $with }, { $place }.
meeting-attend = 👍 Буду
meeting-attend-thanks = Спасибо, отметили!
meeting-followup = Встреча { $when } («{ $topic }») состоялась?
meeting-followup-repeat = Напоминаем: отметьте, пожалуйста, состоялась ли встреча { $when } («{ $topic }»).
meeting-held = ✅ Состоялась
meeting-missed = Не состоялась
meeting-not-yours = Эта встреча вам недоступна или уже отмечена.
meeting-ask-absent = Кто не пришёл?
meeting-logged-missed = Записано: встреча не состоялась.
meeting-ask-covered = Что разобрали на встрече?
meeting-ask-next-step = Следующий шаг? (можно пропустить)
meeting-ask-attachment = Если есть материал (файл или фото), пришлите его — или пропустите.
meeting-attachment-expected = Пришлите файл или фото, либо нажмите «Пропустить».
meeting-logged-held = Спасибо! Встреча записана.
meeting-time-pending = время согласуется
meeting-status-proposed = согласуется
meeting-status-confirmed = назначена
meeting-status-held = состоялась
meeting-status-missed = не состоялась
meeting-status-cancelled = отменена
meeting-unlogged-mark = ⚠️ не отмечена
sessions-none = Встреч пока нет. Назначить: /session
sessions-upcoming = Ближайшие встречи
sessions-recent = Прошедшие
sessions-empty = —
help-title = Что умеет «Наставник»
help-footer = Вопросы по программе наставничества задавайте куратору вашего детского сада.
meeting-reminder-late =
    ⏰ Напоминание (с опозданием — бот был недоступен): встреча { $when } — «{ $topic }», { $with }, { $place }.

## Групповые встречи (методическая среда)
cmd-wednesday = Методическая среда
menu-wednesday = 🗓 Методическая среда
gs-wd = { $d ->
    [1] Пн
    [2] Вт
    [3] Ср
    [4] Чт
    [5] Пт
    [6] Сб
   *[7] Вс
}
gs-pick-org = Для какой организации встреча?
gs-ask-weekday = В какой день недели встречаемся?
gs-ask-time = Во сколько? Напишите время в формате ЧЧ:ММ, например 13:30 (время — { $zone }).
gs-time-error = Не понимаю время. Напишите его в формате ЧЧ:ММ, например 13:30.
gs-ask-topic = Тема встреч (например, «Методическая среда: игровые технологии»):
gs-ask-host = Кто ведёт встречи?
gs-host-self = { $name } (вы)
gs-summary =
    <b>Проверьте:</b>
    { $org }
    { $weekday ->
        [1] По понедельникам
        [2] По вторникам
        [3] По средам
        [4] По четвергам
        [5] По пятницам
        [6] По субботам
       *[7] По воскресеньям
    } в { $time } ({ $zone }), { $duration } мин
    Тема: { $topic }
    Ведёт: { $host }
    { $mode }: { $place }
gs-confirm = ✅ Создать и пригласить
gs-abort = Отмена
gs-aborted = Хорошо, серия встреч не создана.
gs-create-failed = Не удалось создать серию встреч: проверьте данные и попробуйте ещё раз (/wednesday).
gs-created =
    ✅ Серия встреч создана, приглашения отправляются педагогам организации.
    Ближайшие встречи:
    { $dates }
gs-announce =
    📣 <b>{ $topic }</b>
    { $weekday ->
        [1] По понедельникам
        [2] По вторникам
        [3] По средам
        [4] По четвергам
        [5] По пятницам
        [6] По субботам
       *[7] По воскресеньям
    } в { $time } ({ $zone }), { $duration } мин. Ведёт: { $host }.
    { $mode ->
        [online] Онлайн
       *[in_person] Очно
    }: { $place }
    Ближайшая встреча: { $next }
    Записаться можно одной кнопкой — напоминания придут перед каждой встречей.
gs-signup = ✅ Записаться
gs-leave = Отписаться
gs-signed-up = Вы записаны на «{ $topic }». Ближайшая встреча: { $next }. Напоминания придут перед каждой встречей.
gs-already = Вы уже записаны на «{ $topic }». Ближайшая встреча: { $next }.
gs-left = Вы отписались от «{ $topic }».
gs-not-signed = Вы не были записаны на «{ $topic }».
gs-not-member = Записаться могут только педагоги этой организации.
gs-inactive = Эти встречи больше не проводятся.
gs-host-is-member = Вы ведёте эти встречи — записываться не нужно.
gs-list-title = Методические среды
gs-list-series =
    <b>{ $topic }</b> — { $org }
    { $weekday ->
        [1] По понедельникам
        [2] По вторникам
        [3] По средам
        [4] По четвергам
        [5] По пятницам
        [6] По субботам
       *[7] По воскресеньям
    } в { $time } ({ $zone }), { $duration } мин; ведёт { $host }; записано: { $members }
gs-none-upcoming = Ближайших встреч нет.
gs-new = ➕ Новая серия встреч
gs-btn-cancel = ✖ Отменить { $date }
gs-btn-move = 🕒 Перенести { $date }
gs-cancel-confirm = Отменить встречу { $when } («{ $topic }»)? Участники получат уведомление; остальные встречи серии не изменятся.
gs-cancel-yes = Да, отменить эту встречу
gs-cancelled-done = Встреча отменена, участники получат уведомление.
gs-occ-cancelled = ❌ Встреча «{ $topic }» { $when } отменена. Следующие встречи — по расписанию.
gs-occ-moved =
    🔁 Встреча «{ $topic }» перенесена на { $when } (было: { $previous }). Место: { $place }.
    Файл для календаря — во вложении.
gs-move-ask = Новые дата и время встречи «{ $topic }» (сейчас: { $when }). Время — { $zone }, например: 26.11 14:00 или завтра 14:00.
gs-moved-done = Встреча перенесена на { $when }, участники получат уведомление.
gs-participant-cannot-move = Групповую встречу переносит ведущий или куратор. Если не получается прийти — просто пропустите эту встречу.
gs-attendance-ask = Отметьте, кто пришёл на «{ $topic }» ({ $when }):
gs-attendance-done = Спасибо! Встреча записана: пришли { $present }, не пришли { $absent }.
meeting-reminder-missed = ⚠️ Напоминание о встрече { $when } («{ $topic }») не было отправлено вовремя: бот был недоступен. Проверьте, пожалуйста, что участники в курсе.
meeting-propose-first = 📅 Назначить встречу
registry-approve = ✅ Одобрить
registry-unapprove = 🚫 Снять одобрение
registry-pause = ⏸ Пауза 30 дней
registry-resume = ▶️ Снять паузу
survey-usefulness = 📝 Насколько полезной была встреча «{ $topic }» (наставник: { $name })? Оцените от 1 (бесполезно) до 5 (очень полезно).
survey-reflection-offer = ✍️ Если хотите, напишите короткую рефлексию по встрече «{ $topic }»: что получилось и что дальше.
survey-reflection-btn = ✍️ Написать рефлексию
survey-score-recorded = Спасибо! Ваша оценка: { $score }.
survey-ask-solved = Встреча помогла решить вашу проблему?
survey-solved-yes = Да
survey-solved-partly = Частично
survey-solved-no = Нет
survey-ask-comment = Хотите что-то добавить? Короткий комментарий, до 500 символов (необязательно).
survey-ask-reflection = Что получилось на встрече и что дальше? До 1000 символов (необязательно).
survey-thanks = Спасибо! Ответ записан.
survey-already = Уже записано, спасибо.
request-ask-confidence = Насколько вы уверены в теме «{ $topic }»? Оцените от 1 (совсем не уверены) до 5 (полностью уверены).

# --- issue 6: programs, completion, final survey, best practices ---
cmd-program = Персонализированная программа
cmd-practices = Банк практик
menu-program = 📋 Программа
menu-practices = 🏅 Практики
menu-digest = 📊 Сводка
menu-report = 📈 Отчёт
menu-export = 📤 Выгрузка
role-model-experienced_to_young = опытный педагог – молодой педагог
role-model-young_to_experienced = молодой педагог – опытный педагог (обратное)
role-model-head_to_teacher = заведующий – педагог
role-model-employer_to_student = работодатель – студент
role-model-social_partner_to_teacher = социальный партнёр – педагог
role-model-mentor_to_group = наставник – группа педагогов
role-model-network_mentor_to_teacher = сетевой наставник – педагог
role-model-peer_to_peer = педагог – педагог (равный)
role-model-parent_to_adults = родитель – педагоги
role-model-none = —
program-form-individual = индивидуальная
program-form-group = групповая
program-form-none = —
program-status-none = программы ещё нет
program-status-draft = черновик
program-status-pending_mentee = ждёт подтверждения наставляемого
program-status-pending_curator = ждёт утверждения куратора
program-status-returned = возвращена на доработку
program-status-active = действует
program-status-completed = завершена
program-status-terminated = прекращена досрочно
program-card =
    <b>Персонализированная программа</b> ({ $status })
    Цель: { $goal }
    Срок: { $months } мес. { $period }
    Ролевая модель: { $role }
    Форма: { $form }
    План ({ $done } из { $total } выполнено):
    { $items }
    Ожидаемый продукт: { $product }
program-to-mentee =
    Наставник { $name } предлагает вам персонализированную программу. Проверьте её и подтвердите или попросите изменить.
    
    { program-card }
program-to-curator =
    Программа на утверждение: наставник { $mentor }, наставляемый { $mentee }.
    
    { program-card }
program-confirmed-by-mentee = { $name } { $nameGender ->
        [male] подтвердил
       *[female] подтвердила
    } программу. Она отправлена куратору на утверждение.
program-changes-asked = { $name } просит изменить программу: «{ $comment }». Откройте черновик, чтобы поправить.
program-approved =
    ✅ Программа утверждена куратором. Напоминания о пунктах плана придут в день срока.
    
    { program-card }
program-returned = Программа возвращена куратором на доработку: «{ $comment }».
program-returned-mentee = Программа возвращена куратором наставнику на доработку: «{ $comment }».
program-item-done-other = { $name } { $nameGender ->
        [male] отметил
       *[female] отметила
    } пункт плана выполненным: «{ $title }».
program-item-due = ⏰ Сегодня срок пункта плана «{ $title }» ({ $due }). Ожидаемый результат: { $expected }.
program-btn-confirm = ✅ Подтвердить
program-btn-changes = ✏️ Попросить изменить
program-btn-approve = ✅ Утвердить
program-btn-return = ↩️ Вернуть с комментарием
program-btn-edit = ✏️ Заполнить программу
program-btn-create = 📋 Составить программу
program-btn-view = 📋 Открыть программу
program-btn-end = 🏁 Завершить наставничество
program-btn-item-done = ✅ Выполнено
program-btn-item-done-n = ✅ Пункт { $n } выполнен
program-btn-product = 📎 Добавить продукт
program-btn-package = 🏅 Оформить как лучшую практику
program-btn-revise = 🔁 Требует доработки
program-btn-send = 📨 Отправить наставляемому
program-btn-discard = 🗑 Не отправлять
program-invalid = Проверьте данные: что-то не подходит (срок 3–12 месяцев, даты в пределах программы).
program-state-changed = Это действие уже недоступно: программа или пара изменились.
program-curator-comment = Комментарий куратора: «{ $comment }».
program-intro = Заполним персонализированную программу: цель, срок, ролевая модель, форма, план и ожидаемый продукт. Прервать: /cancel.
program-ask-goal = Какова цель программы? (5–1000 символов)
program-ask-months = Срок реализации, месяцев (от 3 до 12):
program-ask-role = Ролевая модель:
program-ask-form = Форма реализации:
program-ask-item-title = Пункт плана { $n }: что предстоит сделать? (например, «Посещение занятия наставника»)
program-ask-item-due = Срок этого пункта: дата в формате ДД.ММ.ГГГГ, с { $first } по { $last }.
program-date-format = Не удалось прочитать дату. Напишите, например, 15.03.2027 (с { $first } по { $last }).
program-date-invalid_date = Такой даты нет в календаре. Попробуйте ещё раз (с { $first } по { $last }).
program-date-out_of_range = Дата должна быть в пределах программы: с { $first } по { $last }.
program-ask-item-expected = Ожидаемый результат этого пункта (необязательно):
program-ask-more = В плане пунктов: { $n }. Добавить ещё?
program-more-yes = ➕ Ещё пункт
program-more-no = ✔️ План готов
program-ask-product = Ожидаемый результат или проектный продукт программы:
program-review =
    Проверьте программу:
    Цель: { $goal }
    Срок: { $months } мес.
    Ролевая модель: { $role }
    Форма: { $form }
    План:
    { $items }
    Продукт: { $product }
program-discarded = Программа не отправлена, черновик можно заполнить снова через /program.
program-sent-to-mentee = Программа отправлена наставляемому на подтверждение.
program-ask-changes = Что нужно изменить? Напишите наставнику (до 1000 символов).
program-ask-return = Комментарий для наставника: что доработать? (до 1000 символов)
program-ask-end-reason = Почему наставничество завершается раньше срока? Коротко опишите причину (её увидят второй участник и куратор).
program-ask-product-item = Пришлите продукт наставляемого: текст, ссылку или файл.
program-product-expected = Нужен текст, ссылка, фото или файл.
program-changes-sent = Просьба отправлена наставнику.
program-return-sent = Программа возвращена наставнику с комментарием.
program-ended-ok = Наставничество завершено. Спасибо!
program-product-added = Продукт добавлен к программе.
program-products = Продуктов добавлено: { $n }.
program-none = У вас нет действующих долгосрочных пар и программ. Программа составляется для долгосрочного наставничества.
program-pair-line = Пара: { $name } ({ $role }). Программа: { $status }.
program-curator-waiting = Программы ждут вашего решения: { $n }.
program-ended-waiting = Завершённые программы ждут решения куратора: { $n }. Наставник ещё может добавить продукты.
program-curator-none = Программ, ждущих вашего решения, сейчас нет. Когда наставник и наставляемый согласуют программу, она придёт вам на утверждение.
program-confirmed = Подтверждено.
program-approved-ok = Программа утверждена.
program-item-marked = Отмечено.
program-verdict-saved = Решение записано.
program-verdict-ask = Программа завершена. Каков итог?
program-needs-revision = Куратор отметил, что программа «{ $goal }» требует доработки: дорожную карту стоит пересмотреть.
pair-ended = Наставничество с { $nameIns } завершено по плану. Спасибо за работу!
pair-ended-early = Наставничество с { $nameIns } завершено досрочно ({ $by }). Причина: «{ $reason }».
final-survey-ask = Итоговый опрос: насколько вы удовлетворены наставничеством? 1 — совсем нет, 5 — полностью.
final-survey-ask-adaptation = Как вы оцениваете свою адаптацию на рабочем месте? 1 — трудно, 5 — { $gender ->
        [male] полностью освоился
       *[female] полностью освоилась
    }.
final-survey-ask-changed = Что изменилось для вас за время наставничества? (необязательно, до 1000 символов)
self-assessment-end-ask = Оцените ещё раз свою уверенность в темах запроса — так будет виден рост.
self-assessment-end-btn = 📈 Оценить уверенность
self-assessment-not-available = Самооценка сейчас недоступна (уже пройдена или наставничество продолжается).
self-assessment-end-thanks = Спасибо! Самооценка записана.
curator-pair-ended =
    Завершено наставничество: { $mentor } → { $mentee }.
    Цель: { $goal }
    Встреч проведено: { $held }; пунктов плана: { $done } из { $total }.
    Полезность встреч: { $usefulness }; удовлетворённость: { $satisfaction }; рост самооценки: { $growth }.
curator-pair-ended-early =
    Досрочно завершено наставничество: { $mentor } → { $mentee }. Причина: «{ $reason }».
    Цель: { $goal }
    Встреч проведено: { $held }; пунктов плана: { $done } из { $total }.
    Полезность встреч: { $usefulness }; удовлетворённость: { $satisfaction }; рост самооценки: { $growth }.
practice-draft-ready = 🏅 Куратор предлагает оформить программу «{ $goal }» как лучшую практику. Карточка заполнена по данным программы: проверьте, отредактируйте и дайте согласие на публикацию.
practice-btn-view = 👁 Карточка практики
practice-btn-edit = ✏️ Редактировать
practice-btn-publish = 📢 Опубликовать
practice-btn-consent = ✅ { $gender ->
        [male] Согласен
       *[female] Согласна
    } на публикацию
practice-media-consent-text = В карточке есть фото- и видеоматериалы или файлы: { $n }. Их можно опубликовать только с отдельного согласия: вы подтверждаете, что у вас есть согласие всех, кто на них изображён (для детей — письменное согласие родителей), на их публикацию. Без него карточка будет опубликована без материалов.
practice-btn-consent-text-only = ✅ { $gender ->
        [male] Согласен
       *[female] Согласна
    }: опубликовать без фото и файлов
practice-btn-consent-media = 📷 { $gender ->
        [male] Согласен
       *[female] Согласна
    }: опубликовать вместе с материалами
practice-consent-text = Я { $gender ->
        [male] согласен
       *[female] согласна
    } на публикацию информационной карты наставнической практики (ФИО, должность, организация, контакты, указанные в карточке, и её содержание) в банке практик организации и сети. Согласие можно отозвать, удалив данные через /deleteme или попросив куратора.
practice-published = Практика опубликована в банке практик.
practice-btn-unpublish = 🚫 Снять с публикации
practice-unpublished = Карточка снята с публикации; согласие отозвано.
practice-published-curator = Опубликована практика «{ $topic }» ({ $name }).
practice-choose-field = Что изменить в карточке?
practice-field-topic = Тема
practice-field-goal = Цель
practice-field-results = Результаты
practice-field-content = Содержание
practice-field-email = E-mail
practice-field-phone = Телефон
practice-field-links = Ссылки
practice-ask-topic = Тема практики (до 300 символов):
practice-ask-goal = Цель практики (до 1000 символов):
practice-ask-results = Результаты практики (до 2000 символов):
practice-ask-content = Содержание: формы, методы, мероприятия (до 3000 символов):
practice-ask-email = E-mail автора:
practice-ask-phone = Телефон автора:
practice-ask-links = Ссылки на публикации через пробел (http…):
practice-field-saved = Сохранено. Отредактированная карточка снова ждёт вашего согласия на публикацию.
practice-author-removed = автор удалил свои данные
practice-status-draft = черновик, виден только автору и куратору
practice-status-published = опубликована
practice-card =
    Автор: { $author }; { $position }, стаж в должности: { $experience }
    Организация: { $organization }
    Контакты: { $email }, { $phone }
    <b>Пояснительная записка</b>
    Цель: { $goal }
    Ролевая модель: { $role }
    Результаты: { $results }
    <b>Содержание</b>
    { $content }
    <b>Кейс наставника</b>
    { $links }
    Статус: { $status }
practices-none = В банке практик пока нет опубликованных карточек.
practices-title = Банк практик: { $n }. Выберите практику или тему.
practices-topic = Практики по теме «{ $topic }»: { $n }.
practices-all = Все темы
# --- issue 6: pulse check-ins ---
pulse-ask-score = 💬 Пульс наставничества: как идёт работа в паре с { $nameIns }? Оцените от 1 (плохо) до 5 (отлично). Оценку 1–2 увидит куратор, чтобы помочь.
pulse-ask-enough = Вы встречаетесь достаточно часто?
pulse-enough-y = Да, достаточно
pulse-enough-n = Нет, хотелось бы чаще
pulse-thanks = Спасибо! Ответ записан.
pulse-closed = Этот опрос уже закрыт: пара завершена или начался следующий опрос.
pulse-flag-low =
    ⚠️ Сигнал риска в паре «{ $mentor } — { $mentee }»: { $side ->
        [mentor] наставник оценил
        [both] обе стороны оценили
       *[mentee] наставляемый оценил
    } работу в паре на { $score } из 5 (опрос № { $round }). Возможно, паре нужна поддержка.
pulse-flag-missed =
    ⚠️ Сигнал риска в паре «{ $mentor } — { $mentee }»: { $side ->
        [mentor] наставник не ответил
        [both] обе стороны не ответили
       *[mentee] наставляемый не ответил
    } на два опроса подряд (последний — № { $round }). Проверьте, продолжается ли работа в паре.
pulse-flag-ack = ✅ Принято, разберусь
pulse-flag-acked = Сигнал отмечен как разобранный.
pulse-flag-already-acked = Этот сигнал уже разобран.

# --- group series: stopping a series ---
gs-btn-stop = ⏹ Завершить серию «{ $topic }»
gs-stop-confirm = Завершить серию встреч? Все будущие встречи отменятся, участники получат уведомление и файл календаря. Новые встречи создаваться не будут.
gs-stop-yes = Да, завершить серию
gs-stopped-done = Серия «{ $topic }» завершена, отменено встреч: { $n }. Участники получат уведомление.
gs-occ-stopped = ❌ Встреча «{ $topic }» { $when } отменена: серия встреч завершена.
# --- issue 7: digest, reports, exports ---
cmd-digest = Сводка за неделю
cmd-report = Отчёт за период
cmd-export = Выгрузка реестров (XLSX/CSV)
dg-not-allowed = Сводки, отчёты и выгрузки доступны кураторам и администраторам. Если вы куратор, попросите администратора выдать вам роль.
dg-collecting = ⏳ Собираю данные по { $n } { $n ->
        [one] детскому саду
       *[other] детским садам
    }: это может занять минуту-другую. Результат придёт сюда.
dg-too-large = Не получилось собрать данные: для такого объёма не хватает памяти сервера. Пожалуйста, сообщите об этом администратору сервера.
dg-weekly-too-large = Еженедельную сводку не удалось собрать: для такого объёма данных не хватает памяти сервера. Пожалуйста, сообщите об этом администратору сервера.
dg-weekly-failed = Еженедельную сводку не удалось подготовить из-за ошибки на сервере. Её можно запросить командой /digest.
dg-export-file-too-big = Файл { $file } не отправлен: он занимает { $mb } МБ, а Telegram принимает от ботов файлы до 50 МБ. { $format ->
        [csv] Выгрузка в XLSX занимает меньше места; если не поможет, сообщите, пожалуйста, администратору сервера.
       *[other] Пожалуйста, сообщите об этом администратору сервера.
    }
dg-title = 📊 Сводка за { $period } — { $scope }
dg-title-report = 📈 Отчёт за { $period } — { $scope }
dg-sec-requests = Запросы
dg-requests = Новые: { $new } ({ $newDelta }) · пары сформированы: { $matched } ({ $matchedDelta })
dg-open = Ждут наставника: { $unmatched } ({ $unmatchedDelta }), из них дольше 3 дней: { $stale } · ждут вашего решения: { $escalated }
dg-open-item = — { $name }, { $days } дн.{ $flag } — { $topics } ({ $status })
dg-more = …и ещё { $n }
dg-and-more = и ещё { $n }
dg-sec-pairs = Пары и встречи
dg-pairs = Активные пары: { $active } ({ $activeDelta })
dg-meetings = Встречи: проведено { $held } ({ $heldDelta }), сорвано { $missed } ({ $missedDelta }), без отметки { $unlogged } ({ $unloggedDelta }); запланировано на 7 дней: { $planned }
dg-surveys = Полезность встреч: { $avg } из 5 ({ $answers } отв., было { $prev }); низких оценок (1–2): { $low }
dg-surveys-none = Оценок встреч за период нет.
dg-sec-risks = Риски: { $n }
dg-risks-none = Рисков нет.
dg-risk-quiet_pair = пара { $who }: нет встреч { $n } дн.
dg-risk-timed_out = наставник { $who } не ответил на предложения: { $n }
dg-risk-pulse_low = пульс пары { $who }: низкая оценка ({ $n })
dg-risk-pulse_missed = пульс пары { $who }: пропущены два опроса подряд
dg-risk-unreachable = { $who }: бот заблокирован — сообщения не доходят
dg-sec-mentors = Наставники
dg-mentors-full = Заполнены полностью: { $n }{ $list }
dg-mentors-idle = Одобрены, но без наставляемых: { $n }{ $list }
dg-sec-topics = Частые дефициты в запросах
dg-sec-indicators = Показатели программы
dg-sec-orgs = По организациям ({ $n })
dg-org-line = { $name }: новые { $new }, пары { $matched }, встречи { $held }, ждут { $unmatched }, риски { $risks }
dg-compare-note = <i>В скобках — изменение к предыдущему периоду такой же длины.</i>
dg-quiet = 📊 За { $period } в «{ $scope }» ничего не происходило: нет запросов, встреч и рисков.
dg-btn-unmatched = 📥 Открытые запросы ({ $n })
dg-btn-risks = ⚠️ Риски ({ $n })
dg-btn-orgs = 🏫 Все организации
dg-btn-mentors = 👩‍🏫 Все наставники
dg-btn-export = 📤 Выгрузка
dg-btn-settings = ⚙️ Настройки сводки
dg-chart-title = Встречи по неделям
dg-chart-held = проведены
dg-chart-missed = сорваны
dg-chart-week = Неделя
dg-chart-count = Количество
dg-chart-topics = Частые дефициты
dg-chart-caption = Встречи и частые дефициты за { $period }
dg-scope-all = все организации
dg-scope-orgs = организаций: { $n }
dg-period-last_week = Прошлая неделя
dg-period-last_4_weeks = Последние 4 недели
dg-period-this_month = Этот месяц
dg-period-last_month = Прошлый месяц
dg-period-custom = Свои даты
dg-report-ask = За какой период подготовить отчёт?
dg-report-custom-hint = Отправьте команду с датами начала и конца, например: /report 01.11.2026 30.11.2026
dg-report-bad-dates = Не удалось разобрать даты. Пример: /report 01.11.2026 30.11.2026 (начало не позже конца, не больше года).
dg-export-ask = В каком формате выгрузить базу наставляемых, реестр наставников, пары, встречи, опросы и показатели?
dg-export-xlsx = 📗 Книга XLSX
dg-export-csv = 📄 Файлы CSV
dg-export-caption = Выгрузка: { $scope }
dg-export-part = часть { $n } из { $of }
dg-day-1 = понедельник
dg-day-2 = вторник
dg-day-3 = среда
dg-day-4 = четверг
dg-day-5 = пятница
dg-day-6 = суббота
dg-day-7 = воскресенье
dg-day-short-1 = Пн
dg-day-short-2 = Вт
dg-day-short-3 = Ср
dg-day-short-4 = Чт
dg-day-short-5 = Пт
dg-day-short-6 = Сб
dg-day-short-7 = Вс
dg-day-default = по расписанию
dg-settings-on = ⚙️ Еженедельная сводка включена, день: { $day }. Выберите другой день или отключите её.
dg-settings-muted = ⚙️ Еженедельная сводка отключена (день: { $day }). /digest по-прежнему работает.
dg-mute = 🔕 Отключить сводку
dg-unmute = 🔔 Включить сводку
ind-matched_7d = Запросы, получившие наставника за 7 дней
ind-programs_completed = Программы, завершённые успешно (из закончившихся)
ind-programs_packaged = Программы, оформленные как практика (из оценённых)
ind-satisfaction = Удовлетворённость участников (итоговый опрос, 1–5)
ind-adaptation = Адаптация молодых специалистов (итоговый опрос, 1–5)
ind-growth = Рост самооценки (баллы, конец − начало)
ind-practices_published = Опубликованные практики
ind-mentors_approved = Одобренные наставники в реестре
ind-no-data = нет данных
xl-erased = Удалённый пользователь
xl-hidden = Сотрудник другой организации
xl-other-org = Другая организация
xl-yes = да
xl-no = нет
xl-identified-self = самооценка
xl-identified-request = запрос в боте
xl-role-model-experienced_to_young = опытный — молодому
xl-role-model-young_to_experienced = молодой — опытному (реверсивная)
xl-role-model-head_to_teacher = руководитель — педагогу
xl-role-model-employer_to_student = работодатель — студенту
xl-role-model-social_partner_to_teacher = социальный партнёр — педагогу
xl-role-model-mentor_to_group = наставник — группе
xl-role-model-network_mentor_to_teacher = сетевой наставник — педагогу
xl-role-model-peer_to_peer = равный — равному
xl-role-model-parent_to_adults = родитель — взрослым
xl-place-own = своя ДОО
xl-place-network = сеть
xl-outcome-packaged = оформлена как практика
xl-outcome-needs_revision = требует доработки
xl-mentor-network = сетевой
xl-mentor-internal = внутренний
xl-pair-active = активна
xl-pair-completed = завершена
xl-pair-terminated = прекращена
xl-formed-offer = по запросу
xl-formed-curator = куратором
xl-program-draft = черновик
xl-program-pending_mentee = у наставляемого
xl-program-pending_curator = у куратора
xl-program-returned = возвращена
xl-program-active = реализуется
xl-program-completed = завершена
xl-program-terminated = прекращена
xl-meeting-pair = пара
xl-meeting-group = групповая
xl-mstatus-proposed = предложена
xl-mstatus-confirmed = назначена
xl-mstatus-held = проведена
xl-mstatus-missed = сорвана
xl-mstatus-cancelled = отменена
xl-mstatus-unlogged = без отметки
xl-sheet-mentees = База наставляемых
xl-sheet-mentors = Реестр наставников
xl-sheet-pairs = Пары и программы
xl-sheet-meetings = Встречи
xl-sheet-surveys = Опросы
xl-sheet-indicators = Показатели
xl-col-no = №
xl-col-mentee = ФИО наставляемого
xl-col-organization = Организация
xl-col-contact = Контактные данные
xl-col-position = Должность
xl-col-experience = Стаж, лет
xl-col-young = Молодой специалист
xl-col-education = Образование
xl-col-category = Квалификационная категория
xl-col-deficits = Ключевые запросы (профессиональные дефициты)
xl-col-request = Описание запроса
xl-col-identified = Способ выявления дефицита
xl-col-entry-date = Дата вхождения в программу
xl-col-request-status = Статус запроса
xl-col-mentor = ФИО наставника
xl-col-mentor-org = Место работы наставника
xl-col-form = Форма наставничества
xl-col-role-model = Ролевая модель
xl-col-place = Место реализации
xl-col-end-date = Дата завершения
xl-col-results = Результаты
xl-col-completed = Отметка о прохождении программы
xl-col-competences = Компетенции (темы наставничества)
xl-col-forms = Предпочтительные формы
xl-col-mode = Формат
xl-col-mentor-type = Тип наставника
xl-col-capacity = Наставляемых максимум
xl-col-active-mentees = Наставляемых сейчас
xl-col-mentees = ФИО наставляемых
xl-col-opt-in-date = Дата согласия быть наставником
xl-col-approved-date = Дата одобрения куратором
xl-col-paused-until = Пауза до
xl-col-rating = Средняя оценка
xl-col-pair-status = Статус пары
xl-col-formed-date = Дата формирования
xl-col-formed-by = Основание
xl-col-mentor-consent = Согласие наставника
xl-col-mentee-consent = Согласие наставляемого
xl-col-ended-date = Дата окончания
xl-col-program-status = Статус программы
xl-col-goal = Цель программы
xl-col-months = Срок, мес.
xl-col-start-date = Начало программы
xl-col-plan-done = Выполнено пунктов плана
xl-col-outcome = Итог
xl-col-start = Дата и время встречи
xl-col-meeting-kind = Вид
xl-col-topic = Тема
xl-col-duration = Длительность, мин
xl-col-meeting-status = Статус
xl-col-host = Ведущий (наставник)
xl-col-participants = Записались
xl-col-covered = Что разобрали
xl-col-answered = Дата ответа
xl-col-respondent-role = Роль отвечающего
xl-col-usefulness = Полезность (1–5)
xl-col-solved = Проблема решена
xl-col-comment = Комментарий
xl-col-survey-kind = Вид опроса
xl-col-satisfaction = Удовлетворённость (1–5)
xl-col-adaptation = Адаптация (1–5)
xl-survey-session = после встречи
xl-survey-final = итоговый
xl-col-indicator = Показатель
xl-col-value = Значение
xl-col-numerator = Числитель
xl-col-denominator = Знаменатель
