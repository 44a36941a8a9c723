import PalisadeModel
import Testing
@testable import PalisadeNetwork

/// Azure Firewall rules that match names: FQDN tags (F20) and the infrastructure collection (F10), as `trace`
/// decides them.
@Suite("Azure Firewall names: FQDN tags and the infrastructure collection")
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
        #expect(model.notes.contains { $0.contains("g/apps/wu-http") && $0.contains("https (docs/semantics.md#firewall-fqdn-tags)") })
    }

    /// F20 decision: a tag whose names Microsoft does not publish matches no concrete host, in trace.
    @Test func f20UnpublishedTagMatchesNoConcreteHost() throws {
        let model = Self.estate(Self.group(FirewallRuleCollection(name: "apps", priority: 100, action: .allow, rules: [
            Self.app("backup", tags: ["AzureBackup"])])))
        let trace = Self.verdict(model, "x.backup.windowsazure.com")
        #expect(trace.verdict == .denied)
        #expect(trace.reason.contains("AzureBackup") && trace.reason.contains("#firewall-fqdn-tags"), "\(trace.reason)")
        #expect(model.notes.contains { $0.contains("AzureBackup") && $0.contains("publishes no names") })
    }

    /// F20 with F9 order: a deny rule's tag takes its names before a later allow-all rule.
    @Test func f20DenyTagBeforeAllowAll() throws {
        let model = Self.estate(Self.group(
            FirewallRuleCollection(name: "no-updates", priority: 100, action: .deny, rules: [Self.app("wu", tags: ["WindowsUpdate"])]),
            FirewallRuleCollection(name: "web", priority: 200, action: .allow, rules: [Self.app("all", targets: ["*"])])))
        let denied = Self.verdict(model, "windowsupdate.microsoft.com")
        #expect(denied.verdict == .denied && denied.reason.contains("g/no-updates/wu"), "\(denied.text)")
        #expect(Self.verdict(model, "example.org").verdict == .allowed)
    }

    // MARK: F10 infrastructure collection

    /// F10 / FWINFRA: the built-in collection comes after the application rules and publishes no names, so no
    /// concrete name matches it, and the trace says so.
    @Test func f10InfrastructureCollectionIsSymbolic() {
        let model = Self.estate(Self.group(FirewallRuleCollection(name: "apps", priority: 100, action: .allow, rules: [
            Self.app("gh", targets: ["*.github.com"])])))
        let trace = Self.verdict(model, "example.org")
        #expect(trace.verdict == .denied)
        #expect(trace.reason.contains("infrastructure collection") && trace.reason.contains("#firewall-default-deny"), "\(trace.reason)")
        #expect(Self.verdict(model, "api.github.com").verdict == .allowed)
    }
}

/// `reach`'s host-name grants follow what reaches the application stage (F8, F9; worked example E6).
@Suite("Host-name grants in reach")
struct HostNameGrantTests {
    static func grants(_ model: NetworkModel) -> [FQDNGrant] {
        model.reach(from: FirewallNameRuleTests.compute(model)).sources[0].fqdnGrants
    }

    @Test func e6NetworkRulesComeBeforeApplicationGrants() {
        let app = FirewallRuleCollection(name: "apps", priority: 100, action: .allow, rules: [FirewallNameRuleTests.app("pypi", targets: ["*.pypi.org"])])
        let deny = FirewallRuleCollection(name: "no-443", priority: 500, action: .deny, rules: [FirewallNameRuleTests.net("deny", to: "*")])
        let both = FirewallNameRuleTests.estate([
            FirewallRuleCollectionGroup(name: "a", priority: 100, ruleCollections: [app]),
            FirewallRuleCollectionGroup(name: "n", priority: 200, ruleCollections: [deny]),
        ])
        #expect(FirewallNameRuleTests.verdict(both, "files.pypi.org").verdict == .denied)
        #expect(Self.grants(both).isEmpty)
        let appOnly = FirewallNameRuleTests.estate(FirewallNameRuleTests.group(app))
        #expect(FirewallNameRuleTests.verdict(appOnly, "files.pypi.org").verdict == .allowed)
        #expect(Self.grants(appOnly).map(\.pattern.text) == ["*.pypi.org"])
    }

    @Test func grantsFollowTheSourceNSGAndRouting() {
        let app = FirewallRuleCollection(name: "apps", priority: 100, action: .allow, rules: [FirewallNameRuleTests.app("pypi", targets: ["*.pypi.org"])])
        let blocked = FirewallNameRuleTests.estate(FirewallNameRuleTests.group(app),
                                                   nsgRules: [rule("no-443", 100, .outbound, .deny, .tcp, ports: .ports(443))])
        #expect(FirewallNameRuleTests.verdict(blocked, "files.pypi.org").verdict == .denied)
        #expect(Self.grants(blocked).isEmpty)
        let bypass = FirewallNameRuleTests.estate(FirewallNameRuleTests.group(app), routes: [udr("out", "0.0.0.0/0", .internet)])
        #expect(Self.grants(bypass).isEmpty)
    }
}
