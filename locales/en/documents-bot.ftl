## Sending documents (.docx) from the bot (issue 14).
doc-btn-program = 📄 Program (.docx)
doc-btn-practice = 📄 Practice card (.docx)
doc-btn-report = 📄 Report for the period (.docx)
doc-btn-order = 📄 Order assigning the pairs (.docx)
doc-btn-export = 📄 Report and orders, last 12 months (.docx)
doc-offer = Documents for this period, to print and sign (in Russian, the regulated forms):
doc-caption-program = Personalised mentoring program
doc-caption-practice = Mentoring practice card
doc-caption-report = The curator's report for the period
doc-caption-order = Order assigning the mentoring pairs (draft to sign)
doc-order-nothing = No mentoring pairs were formed in this period: no order is needed.
doc-order-more = More organizations with new pairs: { $n }. Their orders are available through the CLI: npm run cli -- doc order.
