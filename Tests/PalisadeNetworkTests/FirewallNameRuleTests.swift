import PalisadeModel
import Testing
@testable import PalisadeNetwork

/// Azure Firewall rules that match names: FQDN tags (F20), the infrastructure collection (F10), and `reach`'s
/// host-name grants, which must agree with `trace` (F8, F9, F17–F19; worked example E6).
@Suite("Azure Firewall names: FQDN tags, infrastructure collection, grants")
struct FirewallNameRuleTests {
    /// Hub firewall 10.0.0.4 (public IP 20.0.0.1); spoke subnet `compute` 10.1.0.0/24 routed 0.0.0.0/0 to it.
    static func estate(_ groups: [FirewallRuleCollectionGroup], nsgRules: [SecurityRule]? = nil,
                       routes: [Route] = [udr("default", "0.0.0.0/0", .virtualAppliance, "10.0.0.4")]) -> NetworkModel {
        var e = Estate()
        let hub = e.vnet("hub", ["10.0.0.0/16"])
        let spoke = e.vnet("spoke", ["10.1.0.0/16"])
        e.peer(hub, spoke, forwardedIntoA: true, forwardedIntoB: true)
        let fwSubnet = e.subnet(hub, "AzureFirewallSubnet", "10.0.0.0/26")
        e.firewall("fw", subnet: fwSubnet, ip: "10.0.0.4", policy: e.policy("pol", groups), pip: e.pip("fw-pip", "20.0.0.1"))
        let nsg = nsgRules.map { e.nsg("nsg-compute", $0) }
        e.subnet(spoke, "compute", "10.1.0.0/24", nsg: nsg, routeTable: e.routeTable("rt", routes), defaultOutbound: false)
        return e.compile()
    }

    static func group(_ collections: FirewallRuleCollection...) -> [FirewallRuleCollectionGroup] {
        [FirewallRuleCollectionGroup(name: "g", priority: 100, ruleCollections: collections)]
    }

    static func app(_ name: String, _ protocols: [ApplicationProtocol] = [.https], from: String = "*", targets: [String] = [],
                    tags: [String] = []) -> FirewallRule {
        .application(ApplicationRule(name: name, protocols: protocols, sourceAddresses: [from], targetFqdns: targets, fqdnTags: tags))
    }

    static func net(_ name: String, from: String = "*", to: String = "*", ports: String = "443") -> FirewallRule {
        .network(NetworkRule(name: name, protocols: [.tcp], sourceAddresses: [from], destinationAddresses: [to], destinationPorts: [ports]))
    }

    /// A request for `host` from `source`, to the unknown public host the name resolves to.
    static func request(_ host: String, from source: String = "10.1.0.4", port: Int = 443) -> Packet {
        Packet(source: .ip(ip(source)), destination: .atom(.host(host)), protocol: .tcp, destinationPort: port, hostName: host)
    }

    static func compute(_ model: NetworkModel) -> TraceSource { .subnet(model.subnetOrder.first { $0.name == "compute" }!) }

    static func reach(_ model: NetworkModel) -> SourceReach { model.reach(from: compute(model)).sources[0] }

    static func verdict(_ model: NetworkModel, _ host: String, port: Int = 443) -> Trace {
        model.trace(from: compute(model), to: .name(host), port: port)
    }

    // MARK: F20 FQDN tags

    /// F20 / FWTAGS → MEMIE: the WindowsUpdate tag allows the documented Microsoft Update names over https.
    @Test func f20WindowsUpdateTagAllowsItsDocumentedNames() {
        let model = Self.estate(Self.group(FirewallRuleCollection(name: "apps", priority: 100, action: .allow, rules: [
            Self.app("wu", from: "10.1.0.0/16", tags: ["WindowsUpdate"])])))
        for host in ["windowsupdate.microsoft.com", "fe2.update.microsoft.com", "download.windowsupdate.com", "ntservicepack.microsoft.com"] {
            let trace = Self.verdict(model, host)
            #expect(trace.verdict == .allowed, "\(trace.text)")
            #expect(trace.hops.contains { $0.kind == "AzureFirewall" && $0.rule == "g/apps/wu" && $0.detail.hasPrefix("Application") })
        }
        #expect(Self.verdict(model, "update.microsoft.com").verdict == .denied)  // apex of `*.update.microsoft.com` (F19)
        #expect(Self.verdict(model, "example.org").verdict == .denied)
        #expect(Self.verdict(model, "windowsupdate.microsoft.com", port: 80).verdict == .denied)  // tags match https only (F20)
        let grants = Self.reach(model).fqdnGrants
        #expect(grants.contains { $0.pattern.text == "windowsupdate.microsoft.com" && $0.protocols == ["Https:443"] && $0.rule == "fw: g/apps/wu" })
        #expect(grants.contains { $0.pattern.text == "*.update.microsoft.com" && $0.covers(Self.request("fe2.update.microsoft.com")) })
        #expect(!grants.contains { $0.pattern.text.hasPrefix("fqdntag:") })
    }

    /// F20 / FWTAGS → WINDIAG: the WindowsDiagnostics tag allows the documented diagnostics endpoints.
    @Test func f20WindowsDiagnosticsTag() {
        let model = Self.estate(Self.group(FirewallRuleCollection(name: "apps", priority: 100, action: .allow, rules: [
            Self.app("diag", tags: ["WindowsDiagnostics"])])))
        #expect(Self.verdict(model, "v10.events.data.microsoft.com").verdict == .allowed)
        #expect(Self.verdict(model, "settings-win.data.microsoft.com").verdict == .allowed)
        #expect(Self.verdict(model, "x.events.data.microsoft.com").verdict == .denied)
    }

    /// F20: tag names as FWTAGS lists them, case and spaces ignored; the Office365 family; unknown tags.
    @Test func f20TagTable() throws {
        #expect(try #require(FirewallFQDNTags.lookup("windowsupdate")).published?.contains(FQDNPattern("*.windowsupdate.com")) == true)
        #expect(FirewallFQDNTags.lookup("Windows Update")?.name == "WindowsUpdate")
        #expect(FirewallFQDNTags.lookup("AzureKubernetesService") != nil && FirewallFQDNTags.lookup("AzureKubernetesService")?.published == nil)
        #expect(FirewallFQDNTags.lookup("Office365.Skype.Optimize") != nil && FirewallFQDNTags.lookup("Office365.Skype.Optimize")?.published == nil)
        #expect(FirewallFQDNTags.lookup("NoSuchTag") == nil)
        let names = FirewallFQDNTags.documented.map { $0.name.lowercased() }
        #expect(Set(names).count == names.count)
        for tag in ["AppServiceEnvironment", "AzureBackup", "AzureHDInsight", "WindowsVirtualDesktop", "Windows365", "MicrosoftIntune",
                    "citrixHdxPlusForWindows365", "MicrosoftActiveProtectionService"] {
            #expect(FirewallFQDNTags.lookup(tag) != nil, "\(tag)")
        }
    }

    /// F20: a tag in a rule without an `https` entry matches nothing, and compilation says why.
    @Test func f20TagsNeedHTTPS() {
        let model = Self.estate(Self.group(FirewallRuleCollection(name: "apps", priority: 100, action: .allow, rules: [
            Self.app("wu-http", [.http], tags: ["WindowsUpdate"])])))
        #expect(Self.verdict(model, "windowsupdate.microsoft.com", port: 80).verdict == .denied)
        #expect(model.notes.contains { $0.contains("g/apps/wu-http") && $0.contains("https (F20)") })
        #expect(Self.reach(model).fqdnGrants.isEmpty)
    }

    /// F20 decision: a tag whose names Microsoft does not publish matches no concrete host, in trace and in reach.
    @Test func f20UnpublishedTagMatchesNoConcreteHost() throws {
        let model = Self.estate(Self.group(FirewallRuleCollection(name: "apps", priority: 100, action: .allow, rules: [
            Self.app("backup", tags: ["AzureBackup"])])))
        let trace = Self.verdict(model, "x.backup.windowsazure.com")
        #expect(trace.verdict == .denied)
        #expect(trace.reason.contains("AzureBackup") && trace.reason.contains("F20"), "\(trace.reason)")
        let grant = try #require(Self.reach(model).fqdnGrants.first { $0.pattern.text == "fqdntag:AzureBackup" })
        #expect(grant.protocols == ["Https:443"])
        #expect(!grant.covers(Self.request("x.backup.windowsazure.com")))
        #expect(model.notes.contains { $0.contains("AzureBackup") && $0.contains("publishes no names") })
    }

    /// F20 with F9 order: a deny rule's tag takes its names before a later allow-all rule; reach lists them as exceptions.
    @Test func f20DenyTagBeforeAllowAll() throws {
        let model = Self.estate(Self.group(
            FirewallRuleCollection(name: "no-updates", priority: 100, action: .deny, rules: [Self.app("wu", tags: ["WindowsUpdate"])]),
            FirewallRuleCollection(name: "web", priority: 200, action: .allow, rules: [Self.app("all", targets: ["*"])])))
        let denied = Self.verdict(model, "windowsupdate.microsoft.com")
        #expect(denied.verdict == .denied && denied.reason.contains("g/no-updates/wu"), "\(denied.text)")
        #expect(Self.verdict(model, "example.org").verdict == .allowed)
        let grant = try #require(Self.reach(model).fqdnGrants.first { $0.pattern.isAny })
        #expect(grant.except.contains(FQDNPattern("windowsupdate.microsoft.com")) && grant.except.contains(FQDNPattern("*.update.microsoft.com")))
        #expect(!grant.covers(Self.request("windowsupdate.microsoft.com")))
        #expect(grant.covers(Self.request("example.org")))
    }

    // MARK: F10 infrastructure collection

    /// F10 / FWINFRA: the built-in collection comes after the application rules; it publishes no names, so no concrete
    /// name matches it (trace says so) and reach notes where it applies.
    @Test func f10InfrastructureCollectionIsSymbolic() {
        let model = Self.estate(Self.group(FirewallRuleCollection(name: "apps", priority: 100, action: .allow, rules: [
            Self.app("gh", targets: ["*.github.com"])])))
        let trace = Self.verdict(model, "example.org")
        #expect(trace.verdict == .denied)
        #expect(trace.reason.contains("F10") && trace.reason.contains("F4"), "\(trace.reason)")
        let notes = Self.reach(model).notes
        #expect(notes.contains { $0.contains("infrastructure rule collection (F10)") && $0.contains("from 10.1.0.0/24 on Http:80,Https:443") }, "\(notes)")
    }

    /// F10 / FWINFRA "Overriding": a deny-all application rule collection is processed before the infrastructure
    /// collection, so for its sources the collection no longer applies.
    @Test func f10DenyAllApplicationRuleOverridesInfrastructure() {
        let all = Self.estate(Self.group(FirewallRuleCollection(name: "deny-all", priority: 65000, action: .deny, rules: [
            Self.app("all", [.http, .https], targets: ["*"])])))
        #expect(!Self.reach(all).notes.contains { $0.contains("F10") })
        let half = Self.estate(Self.group(FirewallRuleCollection(name: "deny-all", priority: 65000, action: .deny, rules: [
            Self.app("all", [.http, .https], from: "10.1.0.0/25", targets: ["*"])])))
        #expect(Self.reach(half).notes.contains { $0.contains("F10") && $0.contains("from 10.1.0.128/25 on") })
    }

    // MARK: grants agree with trace (F8, F9)

    /// Worked example E6: network rules run before application rules whatever the priorities (F8/F9), so a network
    /// `Deny TCP 443 → *` beats an application allow; without it the wildcard allows `files.pypi.org` but not the
    /// apex `pypi.org` (F19), which falls through the infrastructure collection to default deny.
    @Test func e6NetworkRulesComeBeforeApplicationGrants() {
        let appGroup = FirewallRuleCollectionGroup(name: "apps", priority: 100, ruleCollections: [
            FirewallRuleCollection(name: "pypi", priority: 100, action: .allow, rules: [Self.app("pypi", targets: ["*.pypi.org"])])])
        let netGroup = FirewallRuleCollectionGroup(name: "net", priority: 200, ruleCollections: [
            FirewallRuleCollection(name: "deny", priority: 500, action: .deny, rules: [Self.net("deny-443")])])
        let both = Self.estate([appGroup, netGroup])
        let denied = Self.verdict(both, "files.pypi.org")
        #expect(denied.verdict == .denied && denied.reason.contains("net/deny/deny-443"), "\(denied.text)")
        #expect(Self.reach(both).fqdnGrants.isEmpty)
        let appOnly = Self.estate([appGroup])
        #expect(Self.verdict(appOnly, "files.pypi.org").verdict == .allowed)
        #expect(Self.reach(appOnly).fqdnGrants.map(\.pattern.text) == ["*.pypi.org"])
        let apex = Self.verdict(appOnly, "pypi.org")
        #expect(apex.verdict == .denied && apex.reason.contains("F10"), "\(apex.reason)")
    }

    /// A grant holds only where the source NSG lets the request out (N11 before the firewall).
    @Test func grantsFollowTheSourceNSG() throws {
        let model = Self.estate(Self.group(FirewallRuleCollection(name: "web", priority: 100, action: .allow, rules: [
            Self.app("gh", [.http, .https], targets: ["*.github.com"])])),
            nsgRules: [rule("no-https", 100, .outbound, .deny, .tcp, to: .serviceTag("Internet"), ports: .ports(443))])
        #expect(Self.verdict(model, "api.github.com").verdict == .denied)
        #expect(Self.verdict(model, "api.github.com", port: 80).verdict == .allowed)
        let grant = try #require(Self.reach(model).fqdnGrants.first)
        #expect(grant.scope.map(\.protocols) == ["Http:80"])
        #expect(!grant.covers(Self.request("api.github.com")) && grant.covers(Self.request("api.github.com", port: 80)))
    }

    /// A grant holds only for what the source's routes send to the firewall; here only 8.8.8.0/24 is routed there,
    /// so the grant holds toward those addresses and not toward public names.
    @Test func grantsFollowRouting() throws {
        let model = Self.estate(Self.group(FirewallRuleCollection(name: "web", priority: 100, action: .allow, rules: [
            Self.app("gh", targets: ["*.github.com"])])), routes: [udr("dns", "8.8.8.0/24", .virtualAppliance, "10.0.0.4")])
        let grant = try #require(Self.reach(model).fqdnGrants.first)
        #expect(grant.toward == "8.8.8.0/24")
        #expect(!grant.covers(Self.request("api.github.com")))
        var viaFirewall = Self.request("api.github.com")
        viaFirewall.destination = .ip(ip("8.8.8.8"))
        #expect(grant.covers(viaFirewall))
        #expect(model.trace(packet: viaFirewall, from: .address(ip("10.1.0.4"))).verdict == .allowed)
    }

    /// A grant holds only where the network delivers the request after the firewall: here the firewall subnet drops
    /// 0.0.0.0/0, so the application rule allows names that never leave.
    @Test func grantsFollowDeliveryAfterTheFirewall() {
        var e = Estate()
        let hub = e.vnet("hub", ["10.0.0.0/16"])
        let spoke = e.vnet("spoke", ["10.1.0.0/16"])
        e.peer(hub, spoke, forwardedIntoA: true, forwardedIntoB: true)
        let fwSubnet = e.subnet(hub, "AzureFirewallSubnet", "10.0.0.0/26", routeTable: e.routeTable("rt-fw", [udr("drop", "0.0.0.0/0", .none)]))
        e.firewall("fw", subnet: fwSubnet, ip: "10.0.0.4", policy: e.policy("pol", Self.group(FirewallRuleCollection(
            name: "web", priority: 100, action: .allow, rules: [Self.app("gh", targets: ["*.github.com"])]))))
        e.subnet(spoke, "compute", "10.1.0.0/24", routeTable: e.routeTable("rt", [udr("default", "0.0.0.0/0", .virtualAppliance, "10.0.0.4")]))
        let model = e.compile()
        let trace = Self.verdict(model, "api.github.com")
        #expect(trace.verdict == .denied && trace.hops.contains { $0.kind == "AzureFirewall" && $0.result == "Allow" }, "\(trace.text)")
        #expect(Self.reach(model).fqdnGrants.isEmpty)
    }

    /// A network rule for half the sources leaves the grant to the other half, and reach reports exactly that half.
    @Test func grantScopeIsExact() throws {
        let model = Self.estate(Self.group(
            FirewallRuleCollection(name: "net", priority: 100, action: .deny, rules: [Self.net("deny-half", from: "10.1.0.0/25")]),
            FirewallRuleCollection(name: "web", priority: 200, action: .allow, rules: [Self.app("gh", targets: ["*.github.com"])])))
        let grant = try #require(Self.reach(model).fqdnGrants.first)
        #expect(grant.scope.map(\.addresses) == ["10.1.0.128/25"])
        for (source, allowed) in [("10.1.0.4", false), ("10.1.0.200", true)] {
            let packet = Self.request("api.github.com", from: source)
            #expect((model.trace(packet: packet, from: .address(ip(source))).verdict == .allowed) == allowed)
            #expect(grant.covers(packet) == allowed)
        }
        let text = model.reach(from: Self.compute(model)).text
        #expect(text.contains("→ name *.github.com  Https:443 from 10.1.0.128/25  [fw: g/web/gh]"), "\(text)")
        #expect(try model.reach(from: Self.compute(model)).json().contains("\"scope\""))
    }

    /// An earlier deny application rule for some sources splits a later grant: exceptions only where it applies (F9).
    @Test func denyRuleForSomeSourcesSplitsTheGrant() {
        let model = Self.estate(Self.group(
            FirewallRuleCollection(name: "deny", priority: 100, action: .deny, rules: [Self.app("evil", from: "10.1.0.0/25", targets: ["evil.github.com"])]),
            FirewallRuleCollection(name: "web", priority: 200, action: .allow, rules: [Self.app("gh", targets: ["*.github.com"])])))
        let grants = Self.reach(model).fqdnGrants
        #expect(grants.map { "\($0.except.map(\.text)) \($0.scope.map(\.addresses))" }.sorted()
                == ["[\"evil.github.com\"] [\"10.1.0.0/25\"]", "[] [\"10.1.0.128/25\"]"])
        for (source, allowed) in [("10.1.0.4", false), ("10.1.0.200", true)] {
            let packet = Self.request("evil.github.com", from: source)
            #expect((model.trace(packet: packet, from: .address(ip(source))).verdict == .allowed) == allowed)
            #expect(grants.contains { $0.covers(packet) } == allowed)
        }
    }
}
