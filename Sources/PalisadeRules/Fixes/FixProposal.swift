import PalisadeModel
import PalisadeNetwork

/// One edit to a Palisade spec: set the value at a dotted key path (`workspace.publicNetworkAccess`).
public struct SpecPatch: Sendable, Codable, Hashable {
    /// Dotted key path from the document root, e.g. `storage.sharedKeyAccess`.
    public var key: String
    /// The new value as YAML (a scalar such as `false`, or flow YAML such as `{enabled: true}`).
    public var value: String

    /// Creates a patch.
    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }

    /// The patch as a YAML fragment, nested by key path (`workspace:\n  publicNetworkAccess: false`); a numeric
    /// component (an element of a list) becomes a list item that says which element it is.
    public var yaml: String {
        let parts = key.split(separator: ".").map(String.init)
        var lines: [String] = []
        var depth = 0
        var element: Int?
        for (index, part) in parts.enumerated() {
            if index > 0, let position = Int(part) {
                element = position
                continue
            }
            var line = String(repeating: "  ", count: depth) + (element == nil ? "" : "- ") + part + ":"
                + (index == parts.count - 1 ? " \(value)" : "")
            if let position = element {
                line += "  # element \(position) of the list, counting from 0"
                element = nil
                depth += 1
            }
            lines.append(line)
            depth += 1
        }
        return lines.joined(separator: "\n")
    }
}

/// A change a rule proposes for one of its findings: the graph after the change (a changed copy of the checked
/// graph), and the same change in the spec's words when the rule knows the keys. Nothing is shown before
/// `FixReview` re-checks it.
public struct FixProposal: Sendable {
    /// What the change does, in one line.
    public var summary: String
    /// The graph after the change.
    public var graph: ResourceGraph
    /// The same change as spec edits (empty when no spec key governs it).
    public var specPatches: [SpecPatch]
    /// Destinations the fix is meant to open (its purpose, e.g. a private endpoint's address): packets newly
    /// allowed toward these do not count against the fix. Empty: the fix may open nothing.
    public var opens: AddressSet
    /// Whether the fix is meant to grant host names (a firewall application rule for a required name).
    public var opensNames: Bool
    /// Reach sources the fix renames (`vnet/old` → `vnet/new`, a subnet recreated under another name): the new
    /// source's reach is compared with the old one's.
    public var renamedSources: [String: String] = [:]
    /// Address ranges the fix moves (a subnet or VNet re-addressed): reachability after the change is compared with
    /// reachability before it under the old addresses, so a moved range's own flows do not count as new.
    public var addressMoves: [AddressMove] = []
    /// Flows the fix is meant to open, by source and destination (two VNets whose peering starts to work once their
    /// ranges no longer overlap): packets newly allowed within these do not count against the fix.
    public var opensFlows: PacketSet = .empty
    /// Whether the change exists only as spec edits (the planner adds what they imply, such as a whole firewall):
    /// `graph` is then the checked graph unchanged, and `FixReview` verifies the re-planned spec instead and shows
    /// its difference. For other inputs `forOtherInputs` is checked instead (none: no fix).
    public var specOnly = false
    /// Reach sources (`vnet/subnet`) the fix creates that host no workload, such as a new firewall's own subnet: what
    /// they reach is not held against the fix.
    public var addedSources: Set<String> = []
    /// For a `specOnly` proposal: the same purpose as a model change, checked instead when the input is not a spec
    /// (at most one; empty: no fix for other inputs).
    public var forOtherInputs: [FixProposal] = []

    /// Creates a proposal.
    public init(summary: String, graph: ResourceGraph, specPatches: [SpecPatch] = [], opens: AddressSet = .empty, opensNames: Bool = false) {
        self.summary = summary
        self.graph = graph
        self.specPatches = specPatches
        self.opens = opens
        self.opensNames = opensNames
    }
}

extension RuleContext {
    /// A proposal whose graph is this context's graph changed by `change`.
    public func propose(_ summary: String, spec: [SpecPatch] = [], opens: AddressSet = .empty, opensNames: Bool = false,
                        _ change: (inout ResourceGraph) -> Void) -> FixProposal {
        var copy = graph
        change(&copy)
        return FixProposal(summary: summary, graph: copy, specPatches: spec, opens: opens, opensNames: opensNames)
    }

    /// A proposal that exists only as spec edits (see `FixProposal.specOnly`).
    public func proposeSpecOnly(_ summary: String, spec: [SpecPatch], opens: AddressSet = .empty, opensNames: Bool = false) -> FixProposal {
        var proposal = FixProposal(summary: summary, graph: graph, specPatches: spec, opens: opens, opensNames: opensNames)
        proposal.specOnly = true
        return proposal
    }
}

/// A finding's fix as reported: verified (with the change in every form the input may need), or why there is none.
public struct FindingFix: Sendable, Codable, Hashable {
    /// Whether a fix was verified.
    public enum Status: String, Sendable, Codable, Hashable {
        /// The change was applied to a copy and re-checked: the finding is gone and nothing else got worse.
        case verified
        /// No verified fix: the rule proposes none, or its proposal failed the re-check (see `reason`).
        case none
    }
    /// One resource the change adds, removes or changes.
    public struct ResourceEdit: Sendable, Codable, Hashable {
        /// `added`, `removed` or `changed`.
        public var kind: String
        /// The resource.
        public var resource: ResourceID
        /// Its ARM type.
        public var type: ResourceType
        /// For `changed`: `path: before → after` per property, in Palisade's model of the resource.
        public var properties: [String]

        /// Creates an edit.
        public init(kind: String, resource: ResourceID, type: ResourceType, properties: [String]) {
            self.kind = kind
            self.resource = resource
            self.type = type
            self.properties = properties
        }
    }

    /// Verified or none.
    public var status: Status
    /// What the change does (verified fixes).
    public var summary: String?
    /// Why there is no verified fix.
    public var reason: String?
    /// The change to the model.
    public var edits: [ResourceEdit]
    /// The spec edits (spec inputs only, each re-planned and re-checked).
    public var specPatches: [SpecPatch]
    /// The ARM template JSON to change (resources as they should read after the change).
    public var arm: String?
    /// The Terraform (azurerm) HCL to change.
    public var terraform: String?
    /// The Bicep to change.
    public var bicep: String?
    /// The spec edits as text replacements in the spec file (spec inputs, for SARIF `fixes`).
    public var replacements: [TextReplacement]? = nil

    /// A verified fix.
    public static func verified(summary: String, edits: [ResourceEdit], specPatches: [SpecPatch], arm: String?, terraform: String?,
                                bicep: String?) -> FindingFix {
        FindingFix(status: .verified, summary: summary, reason: nil, edits: edits, specPatches: specPatches, arm: arm,
                   terraform: terraform, bicep: bicep)
    }

    /// No verified fix, and why.
    public static func none(_ reason: String) -> FindingFix {
        FindingFix(status: .none, summary: nil, reason: reason, edits: [], specPatches: [], arm: nil, terraform: nil, bicep: nil)
    }

    /// The spec edits as one YAML document fragment.
    public var specYAML: String? {
        specPatches.isEmpty ? nil : specPatches.map(\.yaml).joined(separator: "\n")
    }

    /// The code to change in `form`, nil when there is none.
    public func snippet(_ form: FixForm) -> String? {
        switch form {
        case .spec: specYAML
        case .arm: arm
        case .terraform: terraform
        case .bicep: bicep
        }
    }

    /// Plain-text lines for `check` output (indented by the caller), showing the change in `form`.
    public func textLines(form: FixForm) -> [String] {
        guard status == .verified else { return ["no verified fix: \(reason ?? "none proposed")"] }
        var lines = ["verified fix: \(summary ?? "")"]
        for edit in edits {
            lines.append("  \(edit.kind) \(edit.type.rawValue) '\(edit.resource.name)'")
            lines += edit.properties.map { "    \($0)" }
        }
        if let reason { lines.append("  note: \(reason)") }
        if let code = snippet(form) {
            lines.append("  \(form.title):")
            lines += code.split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" }
        }
        return lines
    }
}

/// The form a fix is shown in: the input's own language.
public enum FixForm: String, Sendable, Codable, CaseIterable {
    /// Spec edits (YAML).
    case spec
    /// ARM template JSON.
    case arm
    /// Terraform (azurerm) HCL.
    case terraform
    /// Bicep.
    case bicep

    /// The heading shown above the code.
    public var title: String {
        switch self {
        case .spec: "spec edit"
        case .arm: "ARM template (resources after the change; - removed, + added)"
        case .terraform: "Terraform (- removed, + added)"
        case .bicep: "Bicep (- removed, + added)"
        }
    }
}
