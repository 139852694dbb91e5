//! A 現場 and its 施工体制: what a site records about itself (発注区分, 工事の種類), the chain of
//! companies on it as a tree under the 元請, and the rules of that tree — who may ask whom to
//! join (要請), what makes a request impossible (itself, a company above in the chain, a company
//! already on the site), and what blocks a company's chain (an upper tier that has not answered).
//! The trade list (職種) and a worker's 立場 on a 作業員名簿 are here too: the lists are data.

use crate::ids::{AccountId, PlacementId};

/// 発注区分: who ordered the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderKind {
    /// 公共: a public body.
    Public,
    /// 民間: a private client.
    Private,
}

impl OrderKind {
    pub const ALL: [OrderKind; 2] = [OrderKind::Public, OrderKind::Private];
    pub fn as_str(self) -> &'static str {
        match self {
            OrderKind::Public => "public",
            OrderKind::Private => "private",
        }
    }
    pub fn parse(s: &str) -> Option<OrderKind> {
        OrderKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// 工事の種類.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WorkKind {
    /// 建築・住宅.
    Building,
    /// 土木.
    Civil,
    /// 電気・空調衛生その他.
    Services,
}

impl WorkKind {
    pub const ALL: [WorkKind; 3] = [WorkKind::Building, WorkKind::Civil, WorkKind::Services];
    pub fn as_str(self) -> &'static str {
        match self {
            WorkKind::Building => "building",
            WorkKind::Civil => "civil",
            WorkKind::Services => "services",
        }
    }
    pub fn parse(s: &str) -> Option<WorkKind> {
        WorkKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Whether a site takes records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SiteState {
    Open,
    /// 閉鎖: no new 要請 or 名簿 lines; re-opened by its 元請.
    Closed,
}

impl SiteState {
    pub fn as_str(self) -> &'static str {
        match self {
            SiteState::Open => "open",
            SiteState::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<SiteState> {
        [SiteState::Open, SiteState::Closed]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Where a company's place in a site's 施工体制 stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlacementState {
    /// 要請中: asked by its upper tier, not yet answered.
    Requested,
    /// 承認済: on the site (the 元請 from registration, by 承認, or at once under a 合意).
    Active,
    /// 辞退: the company said no.
    Declined,
    /// 取消: the upper tier (or the 元請) withdrew the request or took the company off.
    Cancelled,
}

impl PlacementState {
    pub const ALL: [PlacementState; 4] = [
        PlacementState::Requested,
        PlacementState::Active,
        PlacementState::Declined,
        PlacementState::Cancelled,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            PlacementState::Requested => "requested",
            PlacementState::Active => "active",
            PlacementState::Declined => "declined",
            PlacementState::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<PlacementState> {
        PlacementState::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// Requested or active: the company holds (or is asked for) its one place on the site.
    pub fn is_live(self) -> bool {
        matches!(self, PlacementState::Requested | PlacementState::Active)
    }
}

/// How a company came to its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Via {
    /// The 元請, by registering the site.
    Prime,
    /// 要請 and 承認.
    Request,
    /// At once, under a 事業者間合意.
    Agreement,
    /// 代理手続き: the upper tier registered it on its behalf, as their 合意 allows.
    Proxy,
    /// A helpdesk correction, with its audited reason.
    Helpdesk,
}

impl Via {
    pub const ALL: [Via; 5] = [
        Via::Prime,
        Via::Request,
        Via::Agreement,
        Via::Proxy,
        Via::Helpdesk,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Prime => "prime",
            Via::Request => "request",
            Via::Agreement => "agreement",
            Via::Proxy => "proxy",
            Via::Helpdesk => "helpdesk",
        }
    }
    pub fn parse(s: &str) -> Option<Via> {
        Via::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A worker's 立場 on a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Position {
    /// 職長.
    Foreman,
    /// 班長.
    Leader,
    /// 一般 (作業員).
    Worker,
    /// 見習い.
    Apprentice,
}

impl Position {
    pub const ALL: [Position; 4] = [
        Position::Foreman,
        Position::Leader,
        Position::Worker,
        Position::Apprentice,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Position::Foreman => "foreman",
            Position::Leader => "leader",
            Position::Worker => "worker",
            Position::Apprentice => "apprentice",
        }
    }
    pub fn parse(s: &str) -> Option<Position> {
        Position::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The trades (職種) a worker can be listed with, by code. Their names are in the message
/// catalog as `site-trade-<code>`; this list is the order forms offer them in.
pub const TRADES: &[&str] = &[
    "tobi",
    "rebar",
    "formwork",
    "plaster",
    "carpenter",
    "earthwork",
    "concrete-pump",
    "steel-frame",
    "welding",
    "electrical",
    "telecom",
    "plumbing",
    "hvac",
    "painting",
    "waterproofing",
    "interior",
    "tile",
    "sheet-metal",
    "roofing",
    "glazing",
    "fittings",
    "machinery",
    "paving",
    "demolition",
    "insulation",
    "other",
];

/// Whether `code` is on the trade list.
pub fn is_trade(code: &str) -> bool {
    TRADES.contains(&code)
}

/// The deepest tier a site's tree may reach (the 元請 is 0, its 一次 1, …). Real chains stop
/// well before; the bound keeps a corrupt tree from being walked forever.
pub const MAX_DEPTH: usize = 9;

/// One company's place in a site's tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    pub id: PlacementId,
    pub business: AccountId,
    /// `None` for the 元請.
    pub parent: Option<PlacementId>,
    pub state: PlacementState,
}

/// Why a company cannot be asked onto a site under a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteRefusal {
    /// The place is not the asking company's, or is no longer on the site.
    NotYourPlace,
    /// The asking company's own place is still waiting for its 承認.
    NotYetApproved,
    /// A company cannot be its own lower tier.
    Itself,
    /// The company is already above the place in this chain: asking it would make a circle.
    AboveInChain,
    /// The company already holds, or is already asked for, a place on this site.
    AlreadyOnSite {
        by: AccountId,
        state: PlacementState,
    },
    /// The chain would be deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// What stops a company's place from counting: the nearest place at or above it that is not
/// active, and the company that must act (answer the 要請).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blocker {
    pub place: PlacementId,
    /// The company whose 承認 is missing.
    pub business: AccountId,
    /// The company that asked it (its upper tier).
    pub asked_by: Option<AccountId>,
}

/// A site's 施工体制 as a tree, to answer questions about it.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    nodes: Vec<Node>,
}

impl Tree {
    /// The tree of these places; places no longer live are kept but never count.
    pub fn new(nodes: Vec<Node>) -> Tree {
        Tree { nodes }
    }

    pub fn node(&self, id: PlacementId) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The live place of a company on the site.
    pub fn place_of(&self, business: AccountId) -> Option<&Node> {
        self.nodes
            .iter()
            .find(|n| n.business == business && n.state.is_live())
    }

    /// The 元請's place.
    pub fn root(&self) -> Option<&Node> {
        self.nodes
            .iter()
            .find(|n| n.parent.is_none() && n.state.is_live())
    }

    /// The place and every place above it, nearest first (bounded by [`MAX_DEPTH`]).
    pub fn chain(&self, id: PlacementId) -> Vec<&Node> {
        let mut out = Vec::new();
        let mut at = self.node(id);
        while let Some(n) = at {
            if out.len() > MAX_DEPTH {
                break;
            }
            out.push(n);
            at = n.parent.and_then(|p| self.node(p));
        }
        out
    }

    /// How deep a place is: 0 for the 元請, 1 for a 一次, …
    pub fn depth(&self, id: PlacementId) -> usize {
        self.chain(id).len().saturating_sub(1)
    }

    /// The live places directly under a place.
    pub fn children(&self, id: PlacementId) -> Vec<&Node> {
        self.nodes
            .iter()
            .filter(|n| n.parent == Some(id) && n.state.is_live())
            .collect()
    }

    /// The live places under a place, at any depth (not the place itself), each once.
    pub fn below(&self, id: PlacementId) -> Vec<&Node> {
        let mut out: Vec<&Node> = Vec::new();
        let mut frontier = vec![id];
        while let Some(at) = frontier.pop() {
            for c in self.children(at) {
                if c.id != id && !out.iter().any(|o| o.id == c.id) {
                    out.push(c);
                    frontier.push(c.id);
                }
            }
        }
        out
    }

    /// Whether `business` may ask `invitee` onto the site under the place `under`.
    pub fn check_invite(
        &self,
        under: PlacementId,
        business: AccountId,
        invitee: AccountId,
    ) -> Result<(), InviteRefusal> {
        let Some(place) = self.node(under).filter(|n| n.state.is_live()) else {
            return Err(InviteRefusal::NotYourPlace);
        };
        if place.business != business {
            return Err(InviteRefusal::NotYourPlace);
        }
        if place.state != PlacementState::Active {
            return Err(InviteRefusal::NotYetApproved);
        }
        if invitee == business {
            return Err(InviteRefusal::Itself);
        }
        if self.chain(under).iter().any(|n| n.business == invitee) {
            return Err(InviteRefusal::AboveInChain);
        }
        if let Some(n) = self.place_of(invitee) {
            let by = n
                .parent
                .and_then(|p| self.node(p))
                .map_or(n.business, |p| p.business);
            return Err(InviteRefusal::AlreadyOnSite { by, state: n.state });
        }
        if self.depth(under) + 1 > MAX_DEPTH {
            return Err(InviteRefusal::TooDeep);
        }
        Ok(())
    }

    /// What stops a live place from counting, if anything: the nearest place at or above it
    /// still waiting for 承認 (a place whose chain is broken by a withdrawn upper tier is not
    /// live, so it is never asked about).
    pub fn blocker(&self, id: PlacementId) -> Option<Blocker> {
        let chain = self.chain(id);
        for (i, n) in chain.iter().enumerate() {
            if n.state != PlacementState::Active {
                return Some(Blocker {
                    place: n.id,
                    business: n.business,
                    asked_by: chain.get(i + 1).map(|p| p.business),
                });
            }
        }
        None
    }

    /// Whether a place and every place above it are active: its workers' records carry their
    /// 職種 and 立場.
    pub fn counts(&self, id: PlacementId) -> bool {
        self.node(id).is_some_and(|n| n.state.is_live()) && self.blocker(id).is_none()
    }

    /// The live places in tree order (each under its parent, siblings by id), with depth.
    pub fn ordered(&self) -> Vec<(usize, &Node)> {
        let mut out = Vec::new();
        if let Some(root) = self.root() {
            self.walk(root, 0, &mut out);
        }
        out
    }

    fn walk<'a>(&'a self, n: &'a Node, depth: usize, out: &mut Vec<(usize, &'a Node)>) {
        if depth > MAX_DEPTH || out.iter().any(|(_, o)| o.id == n.id) {
            return;
        }
        out.push((depth, n));
        let mut kids = self.children(n.id);
        kids.sort_by_key(|k| k.id);
        for k in kids {
            self.walk(k, depth + 1, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: i64, business: i64, parent: Option<i64>, state: PlacementState) -> Node {
        Node {
            id: PlacementId::new(id),
            business: AccountId::new(business),
            parent: parent.map(PlacementId::new),
            state,
        }
    }

    /// 元請 100 (place 1) → 一次 200 (2, active) → 二次 300 (3, requested); 一次 400 (4, declined).
    fn tree() -> Tree {
        use PlacementState::*;
        Tree::new(vec![
            node(1, 100, None, Active),
            node(2, 200, Some(1), Active),
            node(3, 300, Some(2), Requested),
            node(4, 400, Some(1), Declined),
        ])
    }

    fn a(n: i64) -> AccountId {
        AccountId::new(n)
    }
    fn p(n: i64) -> PlacementId {
        PlacementId::new(n)
    }

    #[test]
    fn a_company_cannot_be_asked_twice_onto_one_site_nor_into_a_circle() {
        let t = tree();
        assert_eq!(t.check_invite(p(2), a(200), a(500)), Ok(()));
        assert_eq!(
            t.check_invite(p(2), a(200), a(200)),
            Err(InviteRefusal::Itself)
        );
        assert_eq!(
            t.check_invite(p(2), a(200), a(100)),
            Err(InviteRefusal::AboveInChain)
        );
        assert_eq!(
            t.check_invite(p(1), a(100), a(300)),
            Err(InviteRefusal::AlreadyOnSite {
                by: a(200),
                state: PlacementState::Requested
            })
        );
        // A company that declined may be asked again.
        assert_eq!(t.check_invite(p(1), a(100), a(400)), Ok(()));
        // Only from one's own, approved place.
        assert_eq!(
            t.check_invite(p(2), a(100), a(500)),
            Err(InviteRefusal::NotYourPlace)
        );
        assert_eq!(
            t.check_invite(p(3), a(300), a(500)),
            Err(InviteRefusal::NotYetApproved)
        );
        assert_eq!(
            t.check_invite(p(4), a(400), a(500)),
            Err(InviteRefusal::NotYourPlace)
        );
    }

    #[test]
    fn a_chain_is_blocked_by_its_nearest_unanswered_place() {
        use PlacementState::*;
        let mut nodes = tree().nodes;
        nodes.push(node(5, 500, Some(3), Active));
        let t = Tree::new(nodes);
        assert_eq!(
            t.blocker(p(5)),
            Some(Blocker {
                place: p(3),
                business: a(300),
                asked_by: Some(a(200)),
            })
        );
        assert!(!t.counts(p(5)));
        assert!(t.counts(p(2)));
        assert_eq!(t.depth(p(5)), 3);
        let order: Vec<i64> = t.ordered().iter().map(|(_, n)| n.id.get()).collect();
        assert_eq!(order, vec![1, 2, 3, 5]);
        assert_eq!(t.below(p(2)).len(), 2);
        assert!(t.children(p(1)).iter().all(|n| n.state == Active));
    }

    #[test]
    fn a_corrupt_circle_ends() {
        use PlacementState::*;
        let t = Tree::new(vec![
            node(1, 1, Some(2), Active),
            node(2, 2, Some(1), Active),
        ]);
        assert!(t.chain(p(1)).len() <= MAX_DEPTH + 1);
        assert!(t.ordered().is_empty());
        assert_eq!(t.below(p(1)).len(), 1);
    }

    #[test]
    fn lists_read_back() {
        for k in OrderKind::ALL {
            assert_eq!(OrderKind::parse(k.as_str()), Some(k));
        }
        for k in WorkKind::ALL {
            assert_eq!(WorkKind::parse(k.as_str()), Some(k));
        }
        for k in PlacementState::ALL {
            assert_eq!(PlacementState::parse(k.as_str()), Some(k));
        }
        for k in Via::ALL {
            assert_eq!(Via::parse(k.as_str()), Some(k));
        }
        for k in Position::ALL {
            assert_eq!(Position::parse(k.as_str()), Some(k));
        }
        assert!(is_trade("tobi") && !is_trade("x"));
    }
}
