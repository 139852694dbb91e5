# 就業履歴: the technician's records and レベル, a site's card readers, the readers' API.

menu-records = Work records
menu-records-sub = The days you worked on sites, your days of experience, and the days to each level

card-title = Card
card-lost-summary = If you lost your card
card-lost-intro = Once reported, the card stops at once and its touches are no longer recorded. A new card (a new number; reissue fee ¥1,000) is issued by the helpdesk.
card-lost-confirm = I lost my card and agree to stop it
card-lost-submit = Report the card lost
card-lost-done = The card was stopped
card-lost-done-line = For a new card, contact the helpdesk. Until it arrives, your days can be entered by hand.
card-lost-confirm-needed = To report it, tick the box to agree.
card-lost-none = No card is in use.
card-none = No card is in use. For a new one, contact the helpdesk.
card-expired = Your card has expired. Please renew it.
card-renew-soon = { NUMBER($days) ->
        [one] Your card expires in { $days } day.
       *[other] Your card expires in { $days } days.
    } Please renew it.
records-title = Work records (就業履歴)
records-intro = Each day you touch your card at a site's gate is recorded as a work record. Working on two sites on one day still counts as one day.
records-card = Card number
records-card-expires = Card valid until
records-days-title = Days of work
records-total = Days of work so far
records-total-days = { NUMBER($days) ->
        [one] { $days } day
       *[other] { $days } days
    }
records-total-line = { NUMBER($days) ->
        [one] { $days } day
       *[other] { $days } days
    } ({ $years } years)
records-leader = As foreman (職長) or team leader (班長)
records-foreman = As foreman (職長)
records-training = Training at a registered training body
records-per-year = Days of work per year
records-year-label = { $year }
records-levels-title = Days to each level
records-levels-intro = 215 days count as one year. This shows how far your days have come; the level itself (the skills evaluation, 能力評価) is applied for separately and also checks your qualifications.
records-trade-days = Days counted toward this trade: { $days } (training days included)
records-common-standard = Common standard
records-level = Level { $level }
records-level-reached = The days needed are reached
records-level-days = Days of work { $had } of { $needed } needed ({ $years } years)
records-level-leader = Days as { $role }: { $had } of { $needed } needed
records-level-missing-days = { NUMBER($days) ->
        [one] { $days } more day
       *[other] { $days } more days
    } to go
records-level-missing-leader = The days of work are reached; { NUMBER($leader) ->
        [one] { $leader } more day
       *[other] { $leader } more days
    } as { $role } needed
records-level-missing = { NUMBER($days) ->
        [one] { $days } more day
       *[other] { $days } more days
    } to go ({ $leader } more as { $role })
records-level-qualifications = Qualifications also needed
records-role-foreman = foreman
records-role-foreman-or-leader = foreman or team leader
level-qualification-leader-training = Completed the foreman and safety-and-health supervisor training (職長・安全衛生責任者教育)
level-qualification-core-technician = Completed the registered core skilled worker course (登録基幹技能者講習)
records-month = { $month }/{ $year }
records-days = Days of work this month: { $days }
records-none = There are no work records for this month.
records-day = Date
records-site = Site
records-company = Company on the site
records-in = In
records-out = Out
records-how = Recorded by
records-state = Status
records-source-touch = Card touch
records-source-direct = Entered by hand
records-source-training = Training
records-state-counted = Recorded
records-state-pending = Waiting for approval
records-state-rejected = Rejected
records-state-rejected-because = Rejected (reason: { $reason })
records-months = Months
records-previous = Previous month
records-next = Next month

site-readers-link = Card readers (recording work)
readers-title = Card readers — { $site }
readers-heading = Card readers
readers-intro = Issue a key for each device that reads cards, such as a gate or a phone app at the site. The device uses its key to send work records to the address below.
readers-endpoint = Send to
readers-issue = Issue a key
readers-name = Reader name
readers-name-hint = For example: Main gate, Tablet at the delivery entrance
readers-issue-submit = Issue the key
readers-issued = The key was issued
readers-issued-line = The key is shown only this once. Set it in the reader now.
readers-new-key = Key for “{ $name }”
readers-new-key-hint = Any device with this key can send work records for this site. Do not send it by mail; set it in the reader directly. If it is lost, revoke it and issue a new one.
readers-failed = The key could not be issued
reader-name-empty = Enter the reader's name.
reader-name-long = Enter the reader's name in { NUMBER($limit) ->
        [one] { $limit } character
       *[other] { $limit } characters
    } or fewer.
readers-list = Issued keys
readers-none = No keys have been issued yet.
readers-key = Key (start)
readers-created = Issued
readers-last-seen = Last heard from
readers-never = Not yet
readers-state = Status
readers-revoke = Revoke
readers-revoke-label = Revoke the key of “{ $name }”
readers-revoked-at = Revoked { $at }
readers-revoked = The key was revoked. Records sent with it are no longer accepted.
readers-gone = That key is already revoked.
readers-back = Back to the site

api-unauthenticated-title = Not authenticated
api-reader-key-missing = No reader key. Send the key as Authorization: Bearer.
api-reader-key-unknown = This key is not registered, or it was revoked.

site-direct-link = Work days entered by hand, and approvals
direct-title = Work days entered by hand — { $site }
direct-heading = Work days entered by hand, and approvals
direct-intro = A day with no card touch (a forgotten card, a broken reader, a worker roster made late) is entered by the worker or by the company whose worker roster lists them, and approved by the main contractor running the site. Enter and approve it by the end of the month after the work day.
direct-waiting = Days waiting for approval
direct-waiting-none = No days are waiting for approval.
direct-approve = Approve
direct-approve-label = Approve { $day } for { $worker }
direct-reject-reason = Reason for rejecting (required to reject)
direct-reject = Reject
direct-reject-label = Reject { $day } for { $worker }
direct-enter = Enter a worker's day
direct-enter-hint = You can enter days of workers on your company's worker roster for this site.
direct-own = Enter a day by hand (a day you forgot to touch)
direct-own-hint = On a site whose worker roster lists you, enter a day you did not touch your card. It is recorded once the site's main contractor approves it. You can enter it until the end of the month after the work day.
direct-site = Site
direct-worker = Technician ID (14 digits)
direct-worker-hint = The technician ID on the worker's card.
direct-worker-line = { $name } (technician ID { $id })
direct-day = Work day
direct-first-in = Time in
direct-last-out = Time out
direct-time-hint = For example: 08:00 (leave it empty if unknown)
direct-submit = Enter
direct-failed = The day could not be entered
direct-too-late = Entering and approving this day closed on { $date }.
direct-already = This day is already recorded, or waiting for approval.
direct-not-listed = On that day, this worker was not on your company's worker roster for the site.
direct-entered = The day was entered
direct-entered-line = Once the site's main contractor approves it, it counts as a work record.
direct-entered-own-line = Once the site's main contractor approves it, it counts toward your days. Its status is in the list below.
direct-approved = Approved. It counts as a work record.
direct-rejected = Rejected.
direct-gone = That day was already approved or rejected.
direct-reason-needed = Enter a reason to reject.
direct-error-site = Choose a site.
direct-error-time = Enter a time like 08:00.
direct-error-period = This day is outside the site's record period.
direct-error-future = A day or time that has not come yet cannot be entered.
direct-error-worker = Check the technician ID.

site-day-link = Who is on site today
site-statement-link = Site use fee statement
fees-statements-link = Site use fees by month (sites you run as main contractor)
site-day-title = On site on { $day }
statement-title = Site use fee for { $month }
statements-title = Site use fees for { $month } (all sites)
statements-intro = The work records of the month on the sites you run as main contractor, and their site use fee.
statement-fee = { NUMBER($records) ->
        [one] { $records } record
       *[other] { $records } records
    } × ¥{ $rate } = ¥{ $total }
statement-fee-label = Site use fee
statement-records = Work records
statement-csv = Download the statement as CSV
statement-per-company = Records per company
statement-none = There are no work records in this period.
statement-workers = Workers on site
statement-worker = Name
statement-worker-id = Technician ID
statement-periods = Periods
statement-previous-day = Previous day
statement-next-day = Next day
statement-yen = Site use fee
statement-yen-value = ¥{ $yen }
statements-back = Back to fees
statement-refused = Only someone who runs all of the business's sites (such as its business manager) can read the fees of all sites. The statement of a site you run is on that site's page.

## A business's 就業履歴.
menu-business-records = Work records (your workers)
menu-business-records-sub = Days worked on your worker lists, and placing unplaced entries
business-records-title = Your workers' work records
business-records-intro = Work records of the workers your company listed on a site's worker list. Names are shown for technicians affiliated with your company; for other technicians only when they chose to disclose them.
business-records-name-hidden = (not disclosed)
business-records-more = Show more
business-worker-title = Work records of { $name } ({ $id })
records-worker = Technician
records-state-withdrawn = Withdrawn (correction)
unplaced-title = Unplaced entries
unplaced-intro = Days on which a technician affiliated with your company touched their card at a site where they were on no worker list. Add them to the site's worker list, then press "Place" and the day becomes a work record. Entries can be placed until the end of the month after the work day.
unplaced-none = There are no unplaced entries.
unplaced-touches = Touches
unplaced-action = Action
unplaced-place = Place
unplaced-touch-count = { NUMBER($count) ->
        [one] { $count } touch (first at { $first })
       *[other] { $count } touches (first at { $first })
    }
unplaced-placed = Placed. The day is now a work record.
unplaced-not-listed = This technician is not on the site's worker list yet.
unplaced-not-listed-line = Add them to the worker list on the site's page, then press "Place" again. If your company is not in the site's chain of contractors, ask the company directly above you to request it.
unplaced-too-late = The deadline for placing ({ $date }) has passed. Entries must be placed by the end of the month after the work day.
unplaced-closed = This site is closed, so nothing can be placed on it.
unplaced-nothing = There is nothing to place (it may have been placed already).
card-lost-intro-employer = Once reported, this technician's card stops at once and its touches are no longer recorded. The report also appears in the technician's access history. A new card is issued by the helpdesk (fee ¥1,000).
card-lost-confirm-employer = The technician told us the card is lost; I agree to stop it
card-lost-done-line-employer = To have a new card issued, please contact the helpdesk. Until then, days can be entered by hand.

## Files: the certificate and the statement as PDF.
statement-pdf = Download the statement as PDF
statement-prime = Main contractor
statement-period = Period
statement-per-day = Records per day
pdf-page = Page { $page } of { $pages }
pdf-issued = Issued { $date } — Construction Career Up System
certificate-title = Work record certificate
certificate-hint = Outputs your recorded work days (not those waiting for approval or rejected) for a period, as PDF or CSV. Leave the months empty for the whole period.
certificate-from = From (month)
certificate-to = To (month)
certificate-month-hint = Enter a year and month, like "2024-04".
certificate-pdf = Download the certificate as PDF
certificate-csv = Download as CSV
certificate-name = Name
certificate-furigana = Name in katakana
certificate-birth = Date of birth
certificate-days = Days worked
certificate-records = Work records
certificate-closing = This certificate was made from the work records kept by the Construction Career Up System.

## 補正 asked for by the worker or a business, answered by the site.
correction-title = Correction (recorded times)
correction-hint = If the entry or exit time of a day is wrong (a missed touch, say), you can ask for a correction with the right times. The times change once the site's main contractor approves. You can ask until the end of the month after the work day.
correction-none = No day of this month can be corrected.
correction-record = Day to correct
correction-choice = { $day } { $site } (in { $in }, out { $out })
correction-in = Correct entry time
correction-out = Correct exit time
correction-submit = Ask for the correction
correction-state-waiting = Correction waiting for approval
correction-asked-done = The correction was requested
correction-asked-line = The times change once the site's main contractor approves.
correction-invalid-time = Enter times like "08:00" (one of them is enough; not in the future).
correction-already = A correction of this day is already waiting for approval.
correction-too-late = The deadline for correcting this day (the end of the month after the work day) has passed.
correction-gone = That record cannot be corrected (only recorded days can).
correction-waiting = Corrections waiting for approval
correction-waiting-none = No correction is waiting for approval.
correction-times = in { $in }, out { $out }
correction-was = Recorded now
correction-asked = Times asked for
correction-approve = Approve the correction
correction-approve-label = Approve the correction of { $day } for { $worker }
correction-reject-label = Reject the correction of { $day } for { $worker }
correction-approved = Correction approved. The record's times were changed.
correction-rejected = Correction rejected. The record stays as it was.
correction-too-late-answer = The deadline for this correction (the end of the month after the work day) has passed, so it can be neither approved nor rejected.
