import Foundation
import PalisadeModel
import PalisadeNetwork
import PalisadeRules

/// What makes a change fail review (`diff` exits 1); `--fail-on` picks among these.
public enum FailureCategory: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// A flow from the Internet is newly allowed, or a service's public endpoint newly accepts traffic from it.
    case internet
    /// A private source newly reaches something outside the virtual networks without passing a firewall
    /// (estates with an Azure Firewall only).
    case firewallBypass = "firewall-bypass"
    /// A path the environment needs is newly broken (a connectivity error finding appears).
    case requiredFlow = "required-flow"
    /// A stated intent is newly violated (an intent finding appears).
    case intent

    public static func < (l: FailureCategory, r: FailureCategory) -> Bool { l.rawValue < r.rawValue }

    /// A short phrase for reports.
    public var phrase: String {
        switch self {
        case .internet: "opens a path from the Internet"
        case .firewallBypass: "opens egress that bypasses the firewall"
        case .requiredFlow: "breaks a required flow"
        case .intent: "violates an intent"
        }
    }
}

/// One folded flow that a change opens or closes, with a packet that shows it.
public struct FlowChange: Sendable, Hashable, Codable {
    /// The source's name.
    public var source: String
    /// The named destination.
    public var destination: FlowDestination
    /// Protocol/ports, merged.
    public var services: [String]
    /// Failure categories this flow falls in (opened flows only).
    public var categories: [FailureCategory]
    /// One packet of the flow traced in the version where it is allowed.
    public var witness: Trace?
}

/// A host-name grant a change opens or closes.
public struct NameChange: Sendable, Hashable, Codable {
    /// The source's name.
    public var source: String
    /// The grant.
    public var grant: FQDNGrant
}

/// Why a change fails review.
public struct ReviewFailure: Sendable, Hashable, Codable {
    /// Category.
    public var category: FailureCategory
    /// One line naming the flow or finding.
    public var message: String
}

/// One version of the estate to compare.
public struct ReviewInput: Sendable {
    /// The graph.
    public var graph: ResourceGraph
    /// How to name it in reports (a path, `origin/main:infra/main.json`).
    public var label: String

    /// Creates an input.
    public init(graph: ResourceGraph, label: String) {
        self.graph = graph
        self.label = label
    }
}

/// The review of a change: the exact difference of the two reachability relations, folded into names, with
/// witnesses; findings introduced and resolved; resources added, removed and changed; and why it fails.
public struct ChangeReview: Sendable, Codable {
    /// The version before the change.
    public var before: String
    /// The version after the change.
    public var after: String
    /// Flows allowed after and not before.
    public var opened: [FlowChange]
    /// Flows allowed before and not after.
    public var closed: [FlowChange]
    /// Host-name grants only after.
    public var openedNames: [NameChange]
    /// Host-name grants only before.
    public var closedNames: [NameChange]
    /// Findings only after.
    public var introduced: [Finding]
    /// Findings only before.
    public var resolved: [Finding]
    /// Resources added, removed or changed.
    public var resources: [ResourceChange]
    /// Why the change fails, in every category (the exit code filters by `--fail-on`).
    public var failures: [ReviewFailure]

    /// Compares two versions. `options` are the engine options both are compiled with.
    public static func review(before: ReviewInput, after: ReviewInput, options: NetworkOptions = NetworkOptions()) -> ChangeReview {
        let (old, new) = compileBoth(before.graph, after.graph, options: options)
        return review(before: before, beforeModel: old, after: after, afterModel: new)
    }

    /// Compiles two graphs side by side (one per core).
    public static func compileBoth(_ a: ResourceGraph, _ b: ResourceGraph, options: NetworkOptions) -> (NetworkModel, NetworkModel) {
        let slots = ModelSlots()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            slots.set(i, NetworkModel.compile(i == 0 ? a : b, options: options))
        }
        return slots.pair
    }

    /// Compares two compiled versions.
    public static func review(before: ReviewInput, beforeModel: NetworkModel, after: ReviewInput, afterModel: NetworkModel) -> ChangeReview {
        let reach = ReachabilityDiff.compute(before: beforeModel, after: afterModel)
        let oldFolder = FlowFolder(model: beforeModel)
        let newFolder = FlowFolder(model: afterModel)
        let hasFirewall = !afterModel.firewalls.isEmpty
        var opened: [FlowChange] = []
        var closed: [FlowChange] = []
        var openedNames: [NameChange] = []
        var closedNames: [NameChange] = []
        for delta in reach.deltas {
            for (row, packets) in newFolder.rowsWithPackets(source: delta.source, delta.opened) {
                let witness = packets.witness.map { afterModel.trace(packet: $0, from: origin(delta.origin, $0)) }
                var categories: [FailureCategory] = []
                if delta.source == "internet" { categories.append(.internet) }
                if hasFirewall, row.destination.kind.isPublic, !isUnbound(delta.origin), !isPlatformSubnet(delta.origin, afterModel),
                   let witness, witness.verdict == .allowed, !witness.hops.contains(where: { $0.kind == "AzureFirewall" }) {
                    categories.append(.firewallBypass)
                }
                opened.append(FlowChange(source: row.source, destination: row.destination, services: row.services, categories: categories, witness: witness))
            }
            for (row, packets) in oldFolder.rowsWithPackets(source: delta.source, delta.closed) {
                let witness = packets.witness.map { beforeModel.trace(packet: $0, from: origin(delta.origin, $0)) }
                closed.append(FlowChange(source: row.source, destination: row.destination, services: row.services, categories: [], witness: witness))
            }
            openedNames += delta.openedNames.map { NameChange(source: delta.source, grant: $0) }
            closedNames += delta.closedNames.map { NameChange(source: delta.source, grant: $0) }
        }
        let (oldFindings, newFindings) = checkBoth(before.graph, beforeModel, after.graph, afterModel)
        func key(_ f: Finding) -> String { "\(f.ruleID)|\(f.subject.rawValue.lowercased())|\(f.message)" }
        let oldKeys = Set(oldFindings.map(key))
        let newKeys = Set(newFindings.map(key))
        let introduced = newFindings.filter { !oldKeys.contains(key($0)) }
        let resolved = oldFindings.filter { !newKeys.contains(key($0)) }
        var failures: [ReviewFailure] = []
        for flow in opened {
            for category in flow.categories {
                failures.append(ReviewFailure(category: category, message: "\(flow.source) → \(flow.destination.text) (\(flow.services.joined(separator: ", "))) is newly allowed"))
            }
        }
        for finding in introduced where finding.suppression == nil {
            let kind = RuleCatalog.rule(finding.ruleID)?.description.kind
            if Self.publicEndpointRules.contains(finding.ruleID) {
                // A PaaS service's public endpoint lies outside the virtual networks, so no flow row shows it; the
                // finding is the path from the Internet.
                failures.append(ReviewFailure(category: .internet, message: "\(finding.subject.name): \(finding.message)"))
            } else if finding.ruleID.lowercased().contains("intent") {
                failures.append(ReviewFailure(category: .intent, message: "\(finding.subject.name): \(finding.message)"))
            } else if kind == .connectivity && finding.severity == .error {
                failures.append(ReviewFailure(category: .requiredFlow, message: "\(finding.subject.name): \(finding.message)"))
            }
        }
        return ChangeReview(before: before.label, after: after.label, opened: opened, closed: closed, openedNames: openedNames,
                            closedNames: closedNames, introduced: introduced, resolved: resolved,
                            resources: ResourceChanges.compare(before.graph, after.graph), failures: failures)
    }

    /// Rules whose findings mean a service's public endpoint accepts traffic from the Internet.
    static let publicEndpointRules: Set<String> = [
        ServicePublicNetworkAccessRule.description.id, StorageBlobPublicAccessRule.description.id,
    ]

    /// Runs the catalog on both versions side by side.
    static func checkBoth(_ a: ResourceGraph, _ am: NetworkModel, _ b: ResourceGraph, _ bm: NetworkModel) -> ([Finding], [Finding]) {
        let slots = FindingSlots()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            slots.set(i, i == 0 ? Checker.run(a, network: am) : Checker.run(b, network: bm))
        }
        return slots.pair
    }

    /// Where to start a witness trace: the packet's own address for subnet sources (so a NIC excluded from its
    /// subnet's source set is traced as itself).
    static func origin(_ source: TraceSource, _ packet: Packet) -> TraceSource {
        if case .subnet = source, let ip = packet.source.ip { return .address(ip) }
        return source
    }

    /// Sources outside the customer's subnets (the Internet, VPN clients, managed networks).
    static func isUnbound(_ source: TraceSource) -> Bool {
        switch source {
        case .subnet, .address: false
        case .internet, .vpnClient, .managedNetwork: true
        }
    }

    /// Sources in subnets Azure reserves for the firewall, gateways, Bastion and Route Server: their egress is the
    /// platform's own (the firewall's egress is the path itself), so it is not a bypass.
    static func isPlatformSubnet(_ source: TraceSource, _ model: NetworkModel) -> Bool {
        let reserved: Set<String> = ["azurefirewallsubnet", "azurefirewallmanagementsubnet", "gatewaysubnet", "azurebastionsubnet", "routeserversubnet"]
        switch source {
        case .subnet(let id): return reserved.contains(id.name.lowercased())
        case .address(let ip): return (model.endpoints[ip]?.subnet ?? model.subnet(containing: ip)?.id).map { reserved.contains($0.name.lowercased()) } ?? false
        case .internet, .vpnClient, .managedNetwork: return false
        }
    }

    /// Whether the change fails in any of `categories`.
    public func fails(on categories: Set<FailureCategory>) -> Bool {
        failures.contains { categories.contains($0.category) }
    }

    /// Whether nothing changed that the review reports.
    public var isEmpty: Bool {
        opened.isEmpty && closed.isEmpty && openedNames.isEmpty && closedNames.isEmpty && introduced.isEmpty && resolved.isEmpty && resources.isEmpty
    }
}

/// Two results written by concurrent workers.
private final class ModelSlots: @unchecked Sendable {
    private var items: [NetworkModel?] = [nil, nil]
    private let lock = NSLock()
    func set(_ i: Int, _ value: NetworkModel) { lock.lock(); items[i] = value; lock.unlock() }
    var pair: (NetworkModel, NetworkModel) { lock.lock(); defer { lock.unlock() }; return (items[0]!, items[1]!) }
}

/// Two finding lists written by concurrent workers.
private final class FindingSlots: @unchecked Sendable {
    private var items: [[Finding]] = [[], []]
    private let lock = NSLock()
    func set(_ i: Int, _ value: [Finding]) { lock.lock(); items[i] = value; lock.unlock() }
    var pair: ([Finding], [Finding]) { lock.lock(); defer { lock.unlock() }; return (items[0], items[1]) }
}
