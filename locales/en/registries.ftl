## Registries in the forms of seed 003 (issue 14).
xl-sheet-programs = Bank of programs
xl-col-requests = Requests
xl-col-position-years = Years in the position
xl-col-achievements = Achievements
xl-col-training = Professional training
xl-col-came = Came
xl-col-program-form = Form
xl-col-plan = Plan (road map): item — due — expected result
xl-col-product = Expected result / project product
xl-col-products = Delivered products
xl-col-unit = Unit
xl-col-period-from = Period from
xl-col-period-to = Period to
xl-unit-share = %
xl-unit-mean = score
xl-unit-count = count
xl-item-open = open
xl-item-done = done
mreg-button = 📝 Mentor registry details
mreg-intro =
    Details for the mentor registry (in the regulation's form):
    Years in the position: { $years }
    Achievements: { $achievements }
    Professional training: { $training }
    You can skip any step: what is stored now stays.
mreg-empty = not given
mreg-keep = Keep as is
mreg-ask-years = How many years have you worked in your current position? Write a number, e.g. 12.
mreg-error-years = Please write a number of years from 0 to { $max }, e.g. 12.
mreg-ask-achievements = Your professional achievements: contests, publications, awards (briefly, up to 1000 characters).
mreg-ask-training = Professional training: courses and internships of recent years (briefly, up to 1000 characters).
mreg-saved =
    ✅ Registry details saved.
    Years in the position: { $years }
    Achievements: { $achievements }
    Professional training: { $training }
