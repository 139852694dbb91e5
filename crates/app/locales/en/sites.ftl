# sites (en): a business's sites, its contractor chain (施工体制), worker rosters (作業員名簿),
# standing agreements between businesses (事業者間合意) and fees; the technician's sites; the
# helpdesk's view of a site; and their mails.

menu-sites = Sites and contractor chains
menu-sites-sub = Register and find sites, send and approve contractor chain requests, worker rosters
menu-my-sites = My sites
menu-my-sites-sub = Sites whose worker roster lists you, and requests to list you

sites-title = Sites
sites-intro = The sites your business registered as the main contractor, and the sites whose contractor chain your business is in.
sites-actions = Site actions
sites-search = Find a site
sites-search-q = Site ID, site name or location
sites-search-q-hint = A site ID has 14 digits. For the site name or location, part of it is enough.
sites-search-from = Period for work records (on or after this day)
sites-search-to = Period for work records (on or before this day)
sites-search-state = Status
sites-search-state-any = All
sites-search-submit = Search
sites-list = Sites
sites-none = No sites yet. A main contractor adds one with “Register a site”. A business lower in the chain sees a site here once it approves a request from the main contractor or from a business above it.
sites-none-found = No sites match.
sites-next = Next 20
sites-back = Back to the sites
sites-standing = Your business's role
sites-standing-prime = Main contractor
sites-standing-on = In the contractor chain
sites-standing-asked = Request not answered yet
sites-closed-done = The site was closed.
sites-pending-title = Things to do
sites-pending-count = Things to do ({ $count })
sites-pending-intro = Until your business answers, you cannot make a worker roster on that site, and businesses below you cannot be asked either. Please answer soon, so that the work records of the businesses below you show their trade and position.
sites-pending-to-answer = Requests to your business
sites-pending-to-answer-hint = If you approve, your business joins that site's contractor chain.
sites-pending-from = From { $company }
sites-pending-offers = Standing agreements between businesses offered to your business
sites-pending-waiting = Requests your business sent (waiting for an answer)
sites-pending-waiting-hint = Until the other business approves, its workers cannot be on the roster. With a standing agreement between businesses, you can register it at once next time, without a request.
sites-pending-waiting-on = Waiting for { $company } to answer
sites-pending-none = None.
sites-agreements-title = Standing agreements between businesses

site-new-title = Register a site
site-new-submit = Register the site
site-edit-title = Change the site details
site-edit-submit = Save the changes
site-form-intro = When you register a site, a 14-digit site ID is issued. The site details are required; fill in the contract and construction details as far as you know them.
site-form-problems = Please check what you entered
site-form-problem-count = { NUMBER($count) ->
        [one] There is a problem in { $count } place
       *[other] There are problems in { $count } places
    }. Fix the items marked in red.
site-section-info = Site details
site-section-contract = Contract and construction details ({ $n })
site-contract-intro = When you group small jobs close together into one site, enter each contract separately. When you save a contract, a blank form for the next one appears.
site-contract-empty = Not entered
site-id = Site ID
site-label-name = Site name
site-prime = Main contractor
site-manager = Site manager
site-manager-choice = { $name } ({ $id })
site-manager-hint = The administrator ID of the person in your business who runs this site.
site-order-kind = Public or private work
site-order-public = Public
site-order-private = Private
site-records = Period for work records
site-records-from = Period for work records (start)
site-records-to = Period for work records (end)
site-records-hint = Work records are kept only for the days in this period.
site-hazardous = Hazardous substances handled
site-hazardous-yes = Yes
site-hazardous-no = No
site-state = Status
site-state-open = Open
site-state-closed = Closed
site-address = Location
site-client = Client's name
site-contract-form = Form of contract
site-contract-form-hint = For example: single contractor, JV (joint venture)
site-contract-from = Contract period (start)
site-contract-to = Contract period (end)
site-contract-period = Contract period
site-work-kind = Kind of construction
site-work-building = Building and housing
site-work-civil = Civil engineering
site-work-services = Electrical, HVAC, plumbing and other
site-work-type = Type of work
site-scale = Scale
site-not-given = Not chosen
site-choose = Please choose
site-period = { $from } – { $to }
site-date-hint = For example: 2026-04-01
site-error-required = Please fill this in.
site-error-too-long = Enter up to { NUMBER($max) ->
        [one] { $max } character
       *[other] { $max } characters
    }.
site-error-date = Enter the date as year-month-day, like 2026-04-01.
site-error-period = The end date must be the same day as the start date or later.
site-error-choose = Please choose one.
site-error-contracts = You can enter up to { NUMBER($max) ->
        [one] { $max } contract
       *[other] { $max } contracts
    }.
site-id-malformed = A site ID has 14 digits.
site-id-check-digit = This site ID is not correct. Check the digits one by one.
site-id-is-login-id = This is a login ID. A site ID has 14 digits and starts with 7.
site-registered = The site was registered
site-registered-line = The site ID is shown above. Next, ask your tier 1 businesses to join the contractor chain.
site-edited = The site details were changed.
site-close = Close this site
site-close-hint = Closing the site cancels every request not yet answered, and no new requests or roster entries can be added. You can reopen it later.
site-closed = The site was closed. Requests not yet answered were cancelled.
site-reopen = Reopen this site
site-reopened = The site was reopened.
site-is-closed = This site is closed. Until the main contractor reopens it, no requests or roster entries can be added.
site-refused-register = Your administrator ID may not register sites. Please ask your business owner.
site-refused-answer = Your administrator ID may not act on this contractor chain.
site-refused-roster = Your administrator ID may not edit this worker roster.

site-tree = Contractor chain
site-tree-intro = Every business working on this site, starting from the main contractor. A request has no effect until it is approved.
site-tier-prime = Main contractor
site-tier-n = Tier { $n }
site-place-state = Status
site-place-requested = Requested (waiting for approval)
site-place-active = Approved
site-place-declined = Declined
site-place-cancelled = Cancelled
site-via-prime = Site registration
site-via-request = Request and approval
site-via-agreement = Standing agreement between businesses
site-via-proxy = Acting on behalf
site-via-paren = ({ $via })
site-via-helpdesk = Corrected by the helpdesk
site-waiting-on = Until { $company } approves, this business's worker roster and the businesses below it cannot be registered.
site-approve = Approve
site-decline = Decline
site-approve-named = Approve joining “{ $site }”
site-decline-named = Decline joining “{ $site }”
site-approved = You approved the request. You can now make a worker roster.
site-declined = You declined the request.
site-withdraw = Cancel the request to { $company }
site-take-off = Remove { $company } from the contractor chain
site-cancelled = The business was removed from the contractor chain, together with the businesses below it and their worker rosters.
site-no-longer-open = This request was already cancelled or answered. The page now shows the latest state.
site-invite = Register a business below you
site-invite-business-id = Business ID
site-invite-hint = Enter the business ID of the business directly below you. A business you have a standing agreement with is registered at once; any other business receives a request.
site-invite-send = Register
site-invite-failed = The business could not be registered
site-requested = A request was sent to { $company }
site-requested-line = When they approve, they join the contractor chain. You can see requests waiting for an answer under “Things to do”.
site-placed = { $company } was registered in the contractor chain under your standing agreement between businesses.
site-business-malformed = A business ID has 14 digits. Please check the digits.
site-business-not-business = Enter a business ID (technician IDs and administrator IDs cannot be used).
site-business-unknown = No business is registered with this business ID.
site-refused-not-your-place = Your business cannot register businesses below this business.
site-refused-not-approved = Your business has not approved the request to it yet. Approve it first, then register the businesses below you.
site-refused-itself = Your business cannot be registered below itself.
site-refused-above = This business is already above your business on this site, so it cannot be registered below you.
site-refused-already-asked = { $by } has already sent this business a request (waiting for an answer).
site-refused-already-on = This business is already in this site's contractor chain (below { $by }).
site-refused-too-deep = Businesses cannot be registered at a lower tier than this.
site-too-many = Too many requests were sent in a short time. Please try again later.
site-agreement-exists = There is already a standing agreement between businesses (or an offer of one) with this business, in the same direction.

site-roster = Worker roster
site-roster-empty = No workers yet.
site-worker-add = Add a worker
site-worker-add-submit = Add to the roster
site-worker-id = Technician ID
site-worker-id-hint = Your business's own technicians are added to the roster at once. Technicians of other businesses are added when they agree.
site-worker-trade = Trade
site-worker-position = Position
site-worker-work = Tasks
site-worker-hazardous = Handles hazardous substances
site-worker-health = Date of the special health examination
site-worker-health-hint = Required for workers who handle hazardous substances.
site-worker-qualifications = Qualifications
site-worker-waiting = (waiting for the technician's consent)
site-worker-remove = Remove { $id } from the roster
site-worker-listed = The worker was added to the worker roster.
site-worker-asked = The technician was asked to be listed on the worker roster
site-worker-asked-line = If the technician ID is right, the request reaches the technician. When they agree, they are added to the roster.
site-worker-removed = The worker was removed from the worker roster.
site-worker-failed = The worker could not be added
site-worker-malformed = A technician ID has 14 digits. Please check the digits.
site-worker-not-technician = Enter a technician ID.
site-worker-already-listed = This technician is already on this site's worker roster.
site-worker-health-required = For a worker who handles hazardous substances, enter the date of the special health examination.
site-position-foreman = Foreman
site-position-leader = Team leader
site-position-worker = Worker
site-position-apprentice = Apprentice
site-trade-tobi = Scaffolding and rigging
site-trade-rebar = Rebar work
site-trade-formwork = Formwork carpentry
site-trade-plaster = Plastering
site-trade-carpenter = Carpentry
site-trade-earthwork = Earthwork
site-trade-concrete-pump = Concrete pumping
site-trade-steel-frame = Structural steel
site-trade-welding = Welding
site-trade-electrical = Electrical work
site-trade-telecom = Telecommunications
site-trade-plumbing = Plumbing
site-trade-hvac = Ductwork and air conditioning
site-trade-painting = Painting
site-trade-waterproofing = Waterproofing
site-trade-interior = Interior finishing
site-trade-tile = Tiling
site-trade-sheet-metal = Architectural sheet metal
site-trade-roofing = Roofing
site-trade-glazing = Glazing
site-trade-fittings = Doors, windows and sashes
site-trade-machinery = Earthmoving machinery
site-trade-paving = Paving
site-trade-demolition = Demolition
site-trade-insulation = Thermal insulation
site-trade-other = Other

site-patterns = Save as a pattern
site-patterns-intro = Save the businesses below your business on this site (a contractor chain pattern) or your workers on it (a worker roster pattern), and use them on your next site without entering them again.
site-pattern-kind = Kind of pattern
site-pattern-kind-tiers = Contractor chain pattern
site-pattern-kind-roster = Worker roster pattern
site-pattern-name = Pattern name
site-pattern-save = Save
site-pattern-saved = The pattern was saved ({ NUMBER($count) ->
        [one] { $count } entry
       *[other] { $count } entries
    }).
site-pattern-failed = The pattern could not be saved
site-pattern-name-empty = Enter a pattern name.
site-pattern-nothing = There is nothing to save. Register businesses below you or workers first.
site-pattern-apply = Use a saved pattern
site-pattern-apply-submit = Register from the pattern
site-pattern-applied = { NUMBER($count) ->
        [one] { $count } entry was
       *[other] { $count } entries were
    } registered from the pattern (where a request or consent is needed, it was asked for).
site-patterns-saved = Saved patterns
site-pattern-delete = Delete
site-pattern-delete-label = Delete the pattern "{ $name }"
site-pattern-deleted = The pattern was deleted.

agreements-intro = With a standing agreement between businesses, the upper business can register the lower business in the contractor chain of any site at once, without a request and approval. If you also agree to acting on behalf, the upper business can, in place of the lower business, register the businesses below it and make its worker rosters.
agreements-list = Agreements
agreements-none = No standing agreements between businesses yet.
agreement-other = Other business
agreement-side = Your business's side
agreement-side-upper = Your business is the upper one
agreement-side-lower = Your business is the lower one
agreement-side-upper-choice = Your business is the upper one (you register the other business below you)
agreement-side-lower-choice = Your business is the lower one (the other business registers you)
agreement-proxy = Acting on behalf
agreement-proxy-yes = Also agree to acting on behalf
agreement-proxy-no = No acting on behalf
agreement-proxy-hint = Acting on behalf lets the upper business, in place of the lower business, register the businesses below it and make its worker rosters.
agreement-with-proxy = (including acting on behalf)
agreement-state = Status
agreement-state-offered = Offered
agreement-state-active = In effect
agreement-state-declined = Declined
agreement-state-withdrawn = Withdrawn
agreement-state-ended = Ended
agreement-offer = Offer an agreement
agreement-offer-intro = Enter the other business's business ID. The agreement is made when they accept.
agreement-business-id = Business ID of the other business
agreement-offer-submit = Send the offer
agreement-offer-failed = The agreement could not be offered
agreement-offered = You offered an agreement. It is made when the other business accepts.
agreement-accept = Accept
agreement-decline = Decline
agreement-end = End the agreement
agreement-withdraw = Withdraw the offer
agreement-accepted = The agreement is now in effect.
agreement-declined = You declined the offer.
agreement-ended = The agreement was ended. The contractor chains registered so far stay as they are.
agreement-no-longer-open = This agreement was already answered or has ended.

fees-title = Fees
fees-year = Fiscal year { $year } (April { $year } – March { $next })
fees-ids = Administrator IDs
fees-ids-count = { NUMBER($count) ->
        [one] { $count } ID
       *[other] { $count } IDs
    } (the business ID and the administrator IDs issued by the end of the fiscal year)
fees-per-id = Administrator ID fee (per ID, per year)
fees-per-id-sole = Administrator ID fee for sole proprietors (一人親方; per ID, per year)
fees-id-total = Total administrator ID fees
fees-per-person-day = Site fee (per person per day of work records; main contractor only)
fees-open-sites = Open sites where you are the main contractor
fees-sites-count = { NUMBER($count) ->
        [one] { $count } site
       *[other] { $count } sites
    }
fees-note-site-use = The site fee is charged to the main contractor only, by the person-days of work records kept on the sites where your business is the main contractor.
fees-note-no-payment = The amounts on this page are estimates. You cannot pay on this page.

my-sites-title = My sites
my-sites-intro = The sites whose worker roster lists you, and the sites where you are asked to be listed. While you are on a roster, the main contractor can see only the information you chose to show.
my-sites-none = You are not on any site's worker roster yet.
my-sites-company = Business you work for here
my-sites-asked = This business asks to list you on its worker roster.
my-sites-asked-hint = If you agree, you are listed on this site's worker roster. If you know nothing about it, do not agree.
my-sites-accept = Agree to be listed on the roster of “{ $site }”
my-sites-decline = Refuse to be listed on the roster of “{ $site }”
my-sites-accepted = You agreed to be listed on the worker roster.
my-sites-declined = You refused to be listed on the worker roster.

helpdesk-nav-sites = Sites
helpdesk-site-find = Show the site
helpdesk-site-not-found = There is no site with this site ID.
helpdesk-site-correct = Correct the contractor chain
helpdesk-site-correct-intro = Move a business registered below the wrong upper business to the right one. The businesses below it and their worker rosters move with it. The reason is kept in the audit log.
helpdesk-site-move = Business to move
helpdesk-site-move-under = New upper business
helpdesk-site-move-submit = Correct
helpdesk-site-moved = The contractor chain was corrected.
helpdesk-site-move-impossible = This correction is not possible. The main contractor cannot be moved, and the new upper business must be approved and must be neither the business being moved nor one below it.

mail-site-line = Site: { $name } (site ID { $id })
mail-site-how = Log in and check it under “{ $page }”.
    { $url }
mail-site-requested-subject = A request to join a contractor chain
mail-site-requested-line = { $upper } asks to register your business below it in the contractor chain of the site below. Until you approve, your business cannot make a worker roster.
mail-site-placed-subject = Your business was registered in a contractor chain
mail-site-placed-line = Under its standing agreement between businesses with your business, { $upper } registered your business in the contractor chain of the site below.
mail-site-answered-subject = An answer to your contractor chain request
mail-site-approved-line = { $company } approved your request for the site below.
mail-site-declined-line = { $company } declined your request for the site below.
mail-site-cancelled-subject = Your business was removed from a contractor chain
mail-site-cancelled-line = { $by } removed your business from the contractor chain of the site below (this includes cancelling a request before it was answered).
mail-agreement-offered-subject = An offer of a standing agreement between businesses
mail-agreement-offered-upper = { $other } offers your business a standing agreement between businesses. If you agree, { $other } can register your business in the contractor chain of any site without a request.
mail-agreement-offered-lower = { $other } offers your business a standing agreement between businesses. If you agree, your business can register { $other } in the contractor chain of any site without a request.
mail-agreement-proxy = This offer includes acting on behalf (the upper business carrying out procedures in place of the lower business).
mail-listing-asked-subject = A request to list you on a worker roster
mail-listing-asked-line = { $company } asks to list you on the worker roster of the site below.
