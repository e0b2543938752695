# Nastavnik — English locale. Keys match ru.ftl.

## Commands (descriptions in the Telegram menu)
cmd-start = Main menu
cmd-help = What the bot can do
cmd-cancel = Cancel the current action
cmd-language = Change language

## General
start-welcome =
    Hello, { $name }!
    I am Nastavnik, the mentoring assistant of your kindergarten: young teachers find a mentor, agree on meetings and get support, and the curator sees how the work goes.
start-menu-hint = Commands are in the menu next to the input field. Help: /help
help =
    <b>What Nastavnik can do</b>
    /start — main menu
    /language — change the language (русский / English)
    /cancel — stop the current dialog
    /help — this help

    Ask your kindergarten's curator about the mentoring programme.
cancel-done = OK, cancelled.
cancel-nothing = There is nothing to cancel right now.
language-choose = Choose the language:
language-set = Done: I now speak English.
language-otherwise = Please choose a language with the buttons below the message, or send /cancel.
language-ru = Русский
language-en = English
error-generic = Sorry, something went wrong and the action was not completed. Please try again a little later; if it happens again, we already know about it.
callback-expired = This button no longer works.
unknown-command = I don't know that command. The list of commands: /help
