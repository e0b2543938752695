## Mentoring groups and circles (issue 15).
age-group-nursery = Ясли
age-group-junior = Младшая группа
age-group-middle = Средняя группа
age-group-senior = Старшая группа
age-group-preparatory = Подготовительная группа
group-status-active = идёт
group-status-completed = завершена
group-status-terminated = завершена досрочно
group-line = «{ $title }» — { $about }; наставник: { $mentor }; мест занято: { $taken } из { $size }
groups-mine = Ваши группы
groups-open = Можно присоединиться
groups-suggested = Можно собрать группы из заявок
groups-suggested-none = Похожих заявок (хотя бы две на одну тему) сейчас нет.
groups-in-scope = Группы ваших организаций
groups-none = Групп пока нет. Наставник может объявить набор в группу, куратор — собрать группу из похожих заявок. Кружки по возрастным группам детей: /circles
groups-topic-group = раздел { $code } каталога затруднений
group-btn-open = Открыть группу
group-btn-join = ✅ Присоединиться
group-btn-join-named = ✅ Присоединиться: { $title }
group-btn-new-call = ➕ Объявить набор в группу
group-btn-new-circle = ➕ Создать кружок
group-btn-form = Собрать группу: { $topic } ({ $n })
group-btn-meeting = 📅 Назначить встречу группы
group-btn-open-joining = Открыть набор
group-btn-close-joining = Закрыть набор
group-btn-end = Завершить группу
group-btn-leave = Выйти из группы
group-card-mentor = Наставник: { $name }
group-card-comentor = сонаставник: { $name }
group-card-topic = Тема
group-card-seats = Мест занято: { $taken } из { $size }{ $recruiting ->
    [yes] , набор открыт
   *[no] {""}
}
group-card-members = Участники
group-card-meetings = Проведено встреч: { $held }
group-consent-btn = Подтвердить согласие
group-consent-agree = { $gender ->
    [male] ✅ Согласен
   *[female] ✅ Согласна
}
group-consent-text =
    <b>Согласие на участие в наставнической группе</b>

    Я, { $name }, { $gender ->
        [male] согласен
       *[female] согласна
    } { $role ->
        [mentor] вести наставническую группу «{ $title }» в { $organization }.
       *[mentee] участвовать в наставнической группе «{ $title }» в { $organization }; наставник — { $mentor }.
    }
    Форма наставничества: групповая, долгосрочная.
    { $role ->
        [mentor] Обязанности наставника: составить с группой программу и вести её, проводить встречи и отмечать, кто на них был, помогать участникам в преодолении профессиональных затруднений, отвечать на опросы куратора.
       *[mentee] Обязанности участника: приходить на встречи группы или заранее предупреждать, выполнять согласованные задания, проходить самооценку и опросы.
    }
    Место в группе можно освободить в любой момент кнопкой «Выйти из группы».
group-consent-question-curator = { $name } хочет задать вопрос о группе «{ $title }» перед тем, как присоединиться. Связаться: { $contact }
group-join-not_allowed = Эта группа доступна только педагогам её организации (или её сети).
group-join-state = Набор в эту группу закрыт.
group-join-full = В группе не осталось свободных мест.
group-join-already = Вы уже в этой группе.
group-join-mentor_full = У наставника не осталось свободных мест — присоединиться сейчас нельзя.
group-join-invalid = Не получилось присоединиться. Попробуйте ещё раз.
group-joined = Вы в группе «{ $title }». Наставник назначит встречи — приглашения придут сюда.
group-joined-mentor = { $name } присоединяется к группе «{ $title }». Мест занято: { $taken } из { $size }.
group-formed-mentee = Куратор { $curator } включил вашу заявку в наставническую группу «{ $title }» (участников: { $n }). Наставник группы — { $mentor }. Пожалуйста, подтвердите согласие на участие.
group-formed-mentor = Для вас собрана наставническая группа «{ $title }» (куратор { $curator }): { $names }, участников: { $n }. Пожалуйста, подтвердите согласие вести группу.
group-comentor-added = Вы — сонаставник группы «{ $title }» (наставник { $mentor }).
group-left = Вы вышли из группы. Спасибо за участие!
group-left-mentor = { $name } выходит из группы «{ $title }». Место освободилось.
group-leave-confirm = Выйти из группы «{ $title }»? Ваше место освободится.
group-leave-yes = Да, выйти
group-end-confirm = Завершить группу «{ $title }»? Места участников освободятся, будущие встречи отменятся.
group-end-completed = Завершить: работа выполнена
group-end-early = Завершить досрочно
group-ended = Наставническая группа «{ $title }» (наставник { $mentor }) завершена. Спасибо за работу!
group-ended-early = Наставническая группа «{ $title }» (наставник { $mentor }) завершена досрочно.
group-ended-curator = Группа «{ $title }» (наставник { $mentor }) завершена: участников { $n }, проведено встреч { $meetings }.
group-ended-done = Группа «{ $title }» завершена.
group-stale = Группа уже изменилась: обновите список (/groups).
group-joining-opened = Набор открыт.
group-joining-closed = Набор закрыт.
group-suggestion-gone = Этих заявок уже нет среди ожидающих: обновите список (/groups).
group-form-pick-requests = Заявки на тему «{ $topic }». Отметьте, кого включить в группу (от { $min } до { $max }):
group-form-pick-mentor = Кто поведёт группу? Показаны наставники, у которых не меньше { $n } свободных мест.
group-form-mentor-option = { $name } — свободно { $free } из { $capacity }
group-form-no-mentors = Нет одобренных наставников с { $n } свободными местами. Уменьшите группу или увеличьте нагрузку наставника (/mentors).
group-form-invalid = Группу собрать не получилось: заявки должны быть из одной организации, от разных педагогов, от 2 до 8.
group-form-state = Часть заявок уже не ожидает наставника — группу собрать не получилось. Обновите список (/groups).
group-form-full = В группе нет свободных мест.
group-form-mentor_full = У наставника не хватает свободных мест для всех участников.
group-form-already = Эта группа уже собрана.
group-formed = Группа собрана (участников: { $n }). Наставник и участники получили приглашения и просьбу подтвердить согласие.
group-ask-title = Как называется группа? Например: «Цифровые инструменты для молодых педагогов».
group-ask-title-default = Название группы (или «Пропустить» — назовём по теме «{ $topic }»):
group-title-error = Пожалуйста, от 3 до 200 символов.
group-ask-topic = Тема группы:
group-topic-none = Без темы из каталога
group-ask-size = Сколько участников в группе? (от { $min } до { $max })
group-ask-age-group = Это кружок по возрастной группе детей? Выберите возрастную группу или «Нет».
group-age-none = Нет
group-call-publish = { $gender ->
    [male] ✅ Согласен, объявить набор
   *[female] ✅ Согласна, объявить набор
}
group-call-aborted = Хорошо, набор не объявлен.
group-call-failed = Не получилось объявить набор: проверьте данные и попробуйте ещё раз (/groups).
group-call-not-approved = Объявить набор может наставник, одобренный куратором.
group-call-published =
    📣 Набор в наставническую группу «{ $title }»
    Тема: { $about }. Мест: { $size }. Наставник: { $mentor }.

    Перешлите это сообщение коллегам или ждите: группу видят педагоги вашей организации в /groups и /circles.
group-meeting-ask-time = Когда встреча группы «{ $title }»? Напишите дату и время ({ $zone }), например: 24.11 15:30 или завтра 15:30.
group-minutes = { $n } мин
group-meeting-empty = В группе пока нет участников.
group-meeting-done = Встреча назначена на { $when }. Участники группы «{ $title }» получили приглашение и файл календаря; после встречи отметьте, кто пришёл.
group-meeting-set =
    📅 Встреча группы «{ $title }»: { $when }
    Тема: { $topic }. Место: { $place }. Ведёт: { $host }.
circles-title = Кружки по возрастным группам детей
circles-none = Кружков пока нет. Наставник может создать кружок: /groups → «Объявить набор».
circles-all = Все
circles-open = Открыть: { $title }
dg-groups = Наставнические группы: { $active } (из них кружков { $circles }), участников { $participants }; встреч групп проведено { $held }, пришли { $present } из { $expected }
xl-formed-group = группа
xl-col-group = Группа
doc-fig-groups = Наставнические группы (участников)
doc-order-groups = Закрепить также наставнические группы на тот же период (групповая форма наставничества) согласно списку:
doc-col-group = Группа
doc-col-participants = Участники (дата согласия)
cmd-groups = Наставнические группы
cmd-circles = Кружки по возрастным группам
menu-groups = 👥 Группы
menu-circles = 🧸 Кружки
ind-group_attendance = Посещаемость встреч наставнических групп
group-form-pick-comentor = Нужен ли сонаставник? Он ведёт группу вместе с наставником ({ $name }) и не занимает мест в своей нагрузке.
group-form-no-comentor = Без сонаставника
