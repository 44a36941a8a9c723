import Foundation
import PalisadeModel
import PalisadeNetwork
import PalisadeRender
import PalisadeRules
import PalisadeSpec

/// The spec a graph was planned from, so fixes can be proposed and re-checked as spec edits.
public struct SpecSource: Sendable {
    /// The spec's YAML text as the user wrote it.
    public var text: String
    /// Its path, for diagnostics.
    public var file: String

    /// Creates a spec source.
    public init(text: String, file: String) {
        self.text = text
        self.file = file
    }
}

/// Proves fixes before they are shown: each rule's proposal is applied to a copy of the graph and re-checked. A fix
/// is verified when the finding is gone and nothing else got worse: no finding (rule and resource) that was not
/// there, none more severe, no built-in or declared intent broken, and no flow newly allowed beyond the fix's stated
/// purpose (the exact reachability difference `palisade diff` computes). For a spec input the spec edits are applied
/// to the text, planned again and held to the same test.
public struct FixReview: Sendable {
    /// The checked graph.
    public let graph: ResourceGraph
    /// Its compiled network model.
    public let network: NetworkModel
    /// Declared intents.
    public let intents: [IntentDeclaration]
    /// Declared egress.
    public let declaredEgress: DeclaredEgress
    /// The findings of the checked graph.
    public let findings: [Finding]
    /// The spec, when the input is one.
    public let spec: SpecSource?
    private let rendered: [RenderTarget: [RenderedFile]]
    /// Every source's reach in the checked graph, computed once for the fixes that move addresses.
    private let beforeReach = ReachCache()

    /// Prepares a review of fixes for `findings` (the checker's findings of `graph`).
    public init(graph: ResourceGraph, network: NetworkModel? = nil, intents: [IntentDeclaration] = [], declaredEgress: DeclaredEgress = .undeclared,
                findings: [Finding], spec: SpecSource? = nil) {
        self.graph = graph
        self.network = network ?? NetworkModel.compile(graph)
        self.intents = intents
        self.declaredEgress = declaredEgress
        self.findings = findings
        self.spec = spec
        var rendered: [RenderTarget: [RenderedFile]] = [:]
        // The code snippets compare renderings; nothing to fix, nothing to render.
        if findings.contains(where: { $0.suppression == nil }) {
            for target in RenderTarget.allCases { rendered[target] = Renderer.render(graph, target: target).files }
        }
        self.rendered = rendered
    }

    /// How many findings get a fix checked by default: each check re-runs the rule catalog and the reachability
    /// difference on a copy of the whole estate, so a large estate with many findings would take minutes.
    public static let defaultLimit = 25

    /// The findings, each with its verified fix or the reason it has none. Waived findings get none; past the first
    /// `limit` open findings, each says it was not checked and how to check it.
    public func attachFixes(limit: Int = FixReview.defaultLimit) -> [Finding] {
        var checked = 0
        return findings.map { finding in
            var copy = finding
            guard finding.suppression == nil else { return copy }
            if checked < limit {
                checked += 1
                copy.verifiedFix = fix(for: finding)
            } else {
                copy.verifiedFix = .none("not checked: fixes are checked for the first \(limit) findings only (each check "
                    + "re-runs every rule on a copy of the whole estate); use --fix-limit to check more")
            }
            return copy
        }
    }

    /// The verified fix for `finding`, or `.none` with the reason.
    public func fix(for finding: Finding) -> FindingFix {
        guard let rule = RuleCatalog.rule(finding.ruleID) else { return .none("unknown rule") }
        let context = RuleContext(graph: graph, network: network, intents: intents, declaredEgress: declaredEgress)
        guard var proposal = rule.init().proposeFix(for: finding, in: context) else {
            if let explaining = rule.init() as? any FixExplaining, let why = explaining.whyNoFix(for: finding, in: context) {
                return .none("no automatic change: \(why); follow the rule's advice: \(finding.fix)")
            }
            return .none("the rule proposes no automatic change for this finding; follow its advice: \(finding.fix)")
        }
        // A change that exists only as spec edits is verified on the re-planned spec, whose graph is then the
        // graph after the change.
        if proposal.specOnly, spec == nil, let other = proposal.forOtherInputs.first { proposal = other }
        if proposal.specOnly {
            guard let spec else { return .none("the change is a design decision a spec expresses (\(proposal.summary)); follow the rule's advice: \(finding.fix)") }
            if let problem = specProblem(proposal.specPatches, spec: spec, finding: finding, proposal: proposal) {
                return .none("the proposed spec edit (\(proposal.summary)) was rejected on re-check: \(problem)")
            }
            guard let planned = replanned(proposal.specPatches, spec: spec) else { return .none("the edited spec does not plan") }
            proposal.graph = planned
        }
        // A change that raises other findings is completed with those findings' own fixes (two rounds at most), and
        // the whole is re-checked again.
        var rounds = 0
        var rejected: String?
        let original = proposal
        while !proposal.specOnly, let problem = problem(with: proposal.graph, for: finding, proposal: proposal, network: nil) {
            guard rounds < 2, case .introduces(let raised) = problem, let completed = complete(proposal, with: raised) else {
                rejected = "the proposed change (\(proposal.summary)) was rejected on re-check: \(problem)"
                break
            }
            proposal = completed
            rounds += 1
        }
        if let rejected {
            // For a spec, its edit may hold where the model change alone does not (the planner derives more from it,
            // such as declared egress); then the re-planned spec is the change.
            proposal = original
            guard let spec, !proposal.specPatches.isEmpty, specProblem(proposal.specPatches, spec: spec, finding: finding, proposal: proposal) == nil,
                  let planned = replanned(proposal.specPatches, spec: spec) else { return .none(rejected) }
            proposal.graph = planned
            proposal.specOnly = true
            proposal.summary = "in the spec, set " + proposal.specPatches.map { "\($0.key) to \($0.value)" }.joined(separator: ", ")
        }
        var patches: [SpecPatch] = []
        var specNote: String?
        if let spec {
            if proposal.specPatches.isEmpty {
                specNote = "no spec key expresses this change; apply it in the rendered code"
            } else {
                switch specProblem(proposal.specPatches, spec: spec, finding: finding, proposal: proposal) {
                case nil:
                    var seen = Set<String>()
                    patches = proposal.specPatches.filter { seen.insert($0.key).inserted }
                case let problem?: specNote = "the spec edit was rejected on re-check: \(problem)"
                }
            }
        }
        var edits = ResourceChanges.compare(graph, proposal.graph).map { change in
            FindingFix.ResourceEdit(kind: change.kind.rawValue, resource: change.id, type: change.type,
                                    properties: change.properties.map { "\($0.path): \($0.before ?? "(absent)") → \($0.after ?? "(absent)")" })
        }
        // Deployment outputs live beside the resources, not among them.
        let outputsBefore = Dictionary(graph.deploymentOutputs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for output in proposal.graph.deploymentOutputs {
            if let before = outputsBefore[output.id], before.isSecure != output.isSecure {
                edits.append(FindingFix.ResourceEdit(kind: "changed", resource: output.id, type: .deploymentOutput,
                                                     properties: ["secure: \(before.isSecure) → \(output.isSecure)"]))
            }
        }
        func snippet(_ target: RenderTarget) -> String? {
            ChangeSnippets.snippet(before: graph, after: proposal.graph, target: target, beforeFiles: rendered[target])
        }
        var fix = FindingFix.verified(summary: proposal.summary, edits: edits, specPatches: patches, arm: snippet(.arm),
                                      terraform: snippet(.terraform), bicep: snippet(.bicep))
        if fix.arm == nil, fix.terraform == nil, fix.bicep == nil, patches.isEmpty {
            let note = "Palisade's renderers do not carry the changed properties; change them as the edits above show"
            specNote = specNote.map { "\($0); \(note)" } ?? note
        }
        fix.reason = specNote
        return fix
    }

    /// Why a change is not (yet) a fix.
    enum Problem: CustomStringConvertible {
        /// The finding is still there.
        case remains(String)
        /// New or more severe findings appear.
        case introduces([Finding])
        /// Flows open beyond the fix's purpose, or the edited spec does not plan.
        case other(String)

        var description: String {
            switch self {
            case .remains(let text), .other(let text): text
            case .introduces(let findings):
                "it would introduce " + findings.prefix(3).map { "\($0.ruleID) on '\($0.subject.name)': \($0.message)" }.joined(separator: "; ")
            }
        }
    }

    /// `proposal` followed by the fixes the rules propose for `raised` (on the changed graph); nil when one has none.
    func complete(_ proposal: FixProposal, with raised: [Finding]) -> FixProposal? {
        var next = proposal
        for finding in raised {
            guard let rule = RuleCatalog.rule(finding.ruleID) else { return nil }
            let context = RuleContext(graph: next.graph, intents: intents, declaredEgress: declaredEgress)
            guard let more = rule.init().proposeFix(for: finding, in: context) else { return nil }
            let renamed = next.renamedSources.merging(more.renamedSources) { a, _ in a }
            let moves = next.addressMoves + more.addressMoves
            let flows = next.opensFlows.union(more.opensFlows)
            let added = next.addedSources.union(more.addedSources)
            next = FixProposal(summary: next.summary + "; " + more.summary, graph: more.graph, specPatches: next.specPatches + more.specPatches,
                               opens: next.opens.union(more.opens), opensNames: next.opensNames || more.opensNames)
            next.renamedSources = renamed
            next.addressMoves = moves
            next.opensFlows = flows
            next.addedSources = added
        }
        return next
    }

    /// What is wrong with `after` as a fix for `finding`, or nil when it is a fix.
    func problem(with after: ResourceGraph, for finding: Finding, proposal: FixProposal, network: NetworkModel?,
                 intents: [IntentDeclaration]? = nil, egress: DeclaredEgress? = nil) -> Problem? {
        let afterModel = network ?? NetworkModel.compile(after)
        let again = Checker.run(after, network: afterModel, intents: intents ?? self.intents, declaredEgress: egress ?? declaredEgress)
        func key(_ f: Finding) -> String { "\(f.ruleID)|\(f.subject.rawValue.lowercased())" }
        let target = key(finding)
        if let left = again.first(where: { $0.suppression == nil && key($0) == target }) {
            return .remains("the finding remains (\(left.message))")
        }
        var worst: [String: FindingSeverity] = [:]
        for f in findings where f.suppression == nil { worst[key(f)] = max(worst[key(f)] ?? .note, f.severity) }
        let worse = again.filter { f in f.suppression == nil && (worst[key(f)].map { f.severity > $0 } ?? true) }
        if !worse.isEmpty { return .introduces(worse) }
        if !proposal.addressMoves.isEmpty { return flowsBeyondPurpose(after: afterModel, proposal: proposal) }
        let reach = ReachabilityDiff.compute(before: self.network, after: afterModel)
        let folder = FlowFolder(model: afterModel)
        let closedBySource = Dictionary(reach.deltas.map { ($0.source, $0.closed) }, uniquingKeysWith: { a, _ in a })
        let renamedFrom = Dictionary(proposal.renamedSources.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
        for delta in reach.deltas where !proposal.addedSources.contains(delta.source) {
            var opened = delta.opened
            if let old = renamedFrom[delta.source], let before = closedBySource[old] { opened = opened.subtracting(before) }
            let beyond = PacketSetFilter.outside(opened, proposal.opens).subtracting(proposal.opensFlows)
            if !beyond.isEmpty {
                let rows = folder.rowsWithPackets(source: delta.source, beyond).map { "\($0.row.source) → \($0.row.destination.text) (\($0.row.services.joined(separator: ", ")))" }
                return .other("it would newly allow \(rows.first ?? delta.source)")
            }
            if !proposal.opensNames, let name = delta.openedNames.first {
                return .other("it would newly allow \(delta.source) → name \(name.pattern.text)")
            }
        }
        return nil
    }

    /// For a fix that moves addresses: the first flow allowed after the change that was not allowed before under the
    /// old addresses (each source's reach after the change, read through `AddressRenaming`, against its reach
    /// before), beyond the fix's purpose; nil when there is none. Every source is followed in full on both sides.
    func flowsBeyondPurpose(after afterModel: NetworkModel, proposal: FixProposal) -> Problem? {
        let renaming = AddressRenaming(proposal.addressMoves)
        // Addresses the change gives up (an old range no VNet holds any more) belong to nothing in the estate: traffic
        // toward them now follows the routes any outside address follows, which is what releasing them means.
        let held = IntervalSet(prefixes: afterModel.graph.all(VirtualNetwork.self).flatMap(\.addressSpace)
            + afterModel.graph.all(Subnet.self).flatMap(\.addressPrefixes))
        let released = IntervalSet(prefixes: proposal.addressMoves.map(\.from)).subtracting(held)
        let purpose = proposal.opens.union(AddressSet(ips: released))
        let before = beforeReach.value { Dictionary(network.reach(sources: network.reachSources).map { ($0.source, $0) }, uniquingKeysWith: { a, _ in a }) }
        let folder = FlowFolder(model: afterModel)
        for reach in afterModel.reach(sources: afterModel.reachSources) where !proposal.addedSources.contains(reach.source) {
            let old = before[proposal.renamedSources.first { $0.value == reach.source }?.key ?? reach.source]
            let opened = reach.allowed.subtracting(renaming.preimage(old?.allowed ?? .empty))
            let beyond = PacketSetFilter.outside(opened, purpose).subtracting(proposal.opensFlows)
            if !beyond.isEmpty {
                let rows = folder.rowsWithPackets(source: reach.source, beyond).map { "\($0.row.source) → \($0.row.destination.text) (\($0.row.services.joined(separator: ", ")))" }
                return .other("it would newly allow \(rows.first ?? reach.source)")
            }
            if !proposal.opensNames, let name = Set(reach.fqdnGrants).subtracting(old?.fqdnGrants ?? []).sorted().first {
                return .other("it would newly allow \(reach.source) → name \(name.pattern.text)")
            }
        }
        return nil
    }

    /// What is wrong with the spec edits, or nil when the edited spec plans and passes the same re-check.
    func specProblem(_ patches: [SpecPatch], spec: SpecSource, finding: Finding, proposal: FixProposal) -> String? {
        var seen = Set<String>()
        let patches = patches.filter { seen.insert($0.key).inserted }
        let edited: String
        do { edited = try SpecEditor.apply(patches.map { ($0.key, $0.value) }, to: spec.text) } catch { return "\(error)" }
        let (design, diagnostics) = SpecLoader().design(yaml: edited, file: spec.file)
        guard let design, !diagnostics.hasErrors else {
            return "the edited spec does not plan: \(diagnostics.errors.map(\.message).joined(separator: "; "))"
        }
        return problem(with: design.graph, for: finding, proposal: proposal, network: nil, intents: design.intents + externalIntents(spec),
                       egress: design.declaredEgress)?.description
    }

    /// The declared intents that do not come from the spec (an `--intents` file): the edited spec replaces its own
    /// intents, these still hold it to account.
    func externalIntents(_ spec: SpecSource) -> [IntentDeclaration] {
        intents.filter { $0.source?.file != spec.file }
    }

    /// The graph the spec plans to with `patches` applied, or nil when it does not plan.
    func replanned(_ patches: [SpecPatch], spec: SpecSource) -> ResourceGraph? {
        var seen = Set<String>()
        let patches = patches.filter { seen.insert($0.key).inserted }
        guard let edited = try? SpecEditor.apply(patches.map { ($0.key, $0.value) }, to: spec.text) else { return nil }
        let (design, diagnostics) = SpecLoader().design(yaml: edited, file: spec.file)
        return diagnostics.hasErrors ? nil : design?.graph
    }

    /// Why the spec text with every verified spec edit of `fixed` applied together is not safe to write (it does not
    /// plan, or it has a finding on a rule and resource the original did not, or a more severe one), or nil.
    public func combinedSpecProblem(_ text: String) -> String? {
        guard let spec else { return "the input is not a spec" }
        let (design, diagnostics) = SpecLoader().design(yaml: text, file: spec.file)
        guard let design, !diagnostics.hasErrors else {
            return "the edited spec does not plan: \(diagnostics.errors.map(\.message).joined(separator: "; "))"
        }
        let again = Checker.run(design.graph, intents: design.intents + externalIntents(spec), declaredEgress: design.declaredEgress)
        func key(_ f: Finding) -> String { "\(f.ruleID)|\(f.subject.rawValue.lowercased())" }
        var worst: [String: FindingSeverity] = [:]
        for f in findings where f.suppression == nil { worst[key(f)] = max(worst[key(f)] ?? .note, f.severity) }
        if let worse = again.first(where: { f in f.suppression == nil && (worst[key(f)].map { f.severity > $0 } ?? true) }) {
            return "together the edits would introduce a finding: \(worse.ruleID) on '\(worse.subject.name)': \(worse.message)"
        }
        return nil
    }

    /// The spec text with the verified spec edits of `fixed` applied (each finding's, in order), and the keys
    /// changed; nil when no finding has a spec edit. Throws when an edit no longer applies.
    public static func patchedSpec(_ text: String, fixes fixed: [Finding]) throws -> (text: String, patches: [SpecPatch])? {
        var patches: [SpecPatch] = []
        for finding in fixed {
            guard let fix = finding.verifiedFix, fix.status == .verified else { continue }
            for patch in fix.specPatches where !patches.contains(patch) { patches.append(patch) }
        }
        guard !patches.isEmpty else { return nil }
        return (try SpecEditor.apply(patches.map { ($0.key, $0.value) }, to: text), patches)
    }
}

/// A value computed once on first use and shared by copies of the review (reviews run on several threads).
final class ReachCache: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String: SourceReach]?

    /// The stored value, computing it with `make` the first time.
    func value(_ make: () -> [String: SourceReach]) -> [String: SourceReach] {
        lock.lock()
        defer { lock.unlock() }
        if let stored { return stored }
        let made = make()
        stored = made
        return made
    }
}

/// Packet-set helpers the fix re-check needs.
enum PacketSetFilter {
    /// The packets of `set` whose destination lies outside `allowed`.
    static func outside(_ set: PacketSet, _ allowed: AddressSet) -> PacketSet {
        if allowed.isEmpty { return set }
        return set.subtracting(PacketSet(PacketCube(destination: allowed)))
    }
}
