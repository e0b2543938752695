## Registries in the forms of seed 003 (issue 14).
xl-sheet-programs = Банк программ
xl-col-requests = Запросов
xl-col-position-years = Стаж в должности, лет
xl-col-achievements = Достижения
xl-col-training = Повышение квалификации
xl-col-came = Пришли
xl-col-program-form = Форма реализации
xl-col-plan = План (дорожная карта): пункт — срок — ожидаемый результат
xl-col-product = Ожидаемый результат / проектный продукт
xl-col-products = Полученные продукты
xl-col-unit = Единица
xl-col-period-from = Период с
xl-col-period-to = Период по
xl-unit-share = %
xl-unit-mean = балл
xl-unit-count = количество
xl-item-open = не выполнен
xl-item-done = выполнен
mreg-button = 📝 Данные для реестра наставников
mreg-intro =
    Данные для реестра наставников (по форме положения):
    Стаж в должности: { $years }
    Достижения: { $achievements }
    Повышение квалификации: { $training }
    Каждый шаг можно пропустить — тогда останется то, что записано сейчас.
mreg-empty = не указано
mreg-keep = Оставить как есть
mreg-ask-years = Сколько лет вы работаете в нынешней должности? Напишите число, например 12.
mreg-error-years = Напишите число лет от 0 до { $max }, например 12.
mreg-ask-achievements = Ваши профессиональные достижения: конкурсы, публикации, награды (коротко, до 1000 символов).
mreg-ask-training = Повышение квалификации: курсы и стажировки за последние годы (коротко, до 1000 символов).
mreg-saved =
    ✅ Данные для реестра сохранены.
    Стаж в должности: { $years }
    Достижения: { $achievements }
    Повышение квалификации: { $training }
