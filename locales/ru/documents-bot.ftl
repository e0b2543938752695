## Sending documents (.docx) from the bot (issue 14).
doc-btn-program = 📄 Программа (.docx)
doc-btn-practice = 📄 Информационная карта (.docx)
doc-btn-report = 📄 Отчёт за период (.docx)
doc-btn-order = 📄 Приказ о закреплении пар (.docx)
doc-btn-export = 📄 Отчёт и приказы за 12 месяцев (.docx)
doc-offer = Документы за этот период для печати и подписи:
doc-caption-program = Персонализированная программа наставничества
doc-caption-practice = Информационная карта наставнической практики
doc-caption-report = Отчёт куратора за период
doc-caption-order = Приказ о закреплении наставнических пар (проект для подписи)
doc-order-nothing = За этот период наставнические пары не формировались: приказ не нужен.
doc-order-more = Ещё организаций с новыми парами: { $n }. Их приказы можно получить через CLI: npm run cli -- doc order.
