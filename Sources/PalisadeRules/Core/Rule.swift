import PalisadeModel
import PalisadeNetwork

/// A check over the resource graph. One rule per file: `static let description`, then `check`, helpers private.
public protocol Rule: Sendable {
    /// The rule's description (ID, title, examples, …).
    static var description: RuleDescription { get }
    /// Creates the rule.
    init()
    /// The findings for this input.
    func check(_ context: RuleContext) -> [Finding]
    /// A change that removes `finding` (one of this rule's), computed from the model; nil when the rule has none.
    /// `FixReview` applies it to a copy and re-checks it before anything is shown.
    func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal?
}

extension Rule {
    /// No automatic fix unless the rule proposes one.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? { nil }
}

/// What rules read: the graph and the network model compiled from it once.
public struct RuleContext: Sendable {
    /// The environment.
    public let graph: ResourceGraph
    /// The compiled network model, for proofs over packets.
    public let network: NetworkModel
    /// Intents the input declares (spec `intents:` and `--intents FILE`), proved beside the built-in ones.
    public let declaredIntents: [IntentDeclaration]
    /// What the input declares it may send (package sources, extra destinations); built-in intents use it.
    public let declaredEgress: DeclaredEgress

    /// Creates a context, compiling the network model unless one is given.
    public init(graph: ResourceGraph, network: NetworkModel? = nil, intents: [IntentDeclaration] = [],
                declaredEgress: DeclaredEgress = .undeclared) {
        self.graph = graph
        self.network = network ?? NetworkModel.compile(graph)
        self.declaredIntents = intents
        self.declaredEgress = declaredEgress
    }

    /// A finding about `resource`, with the rule's default severity and fix unless given. `property` (an ARM-form path
    /// such as `properties.publicNetworkAccess`) points the location at the line that set it, when the reader knows.
    public func finding<R: Rule, T: AzureResource>(
        _ rule: R.Type, _ resource: T, _ message: String, evidence: [Evidence], severity: FindingSeverity? = nil, fix: String? = nil,
        property: String? = nil
    ) -> Finding {
        Finding(ruleID: R.description.id, severity: severity ?? R.description.defaultSeverity, message: message,
                subject: resource.id, resourceType: Swift.type(of: resource).resourceType,
                location: property.flatMap { graph.source(of: resource.id, property: $0) } ?? resource.source,
                evidence: evidence, fix: fix ?? R.description.fix)
    }

    /// Subnets that host AML compute (customer-VNet compute).
    public var computeSubnets: [Subnet] {
        let ids = Set(graph.all(MachineLearningCompute.self).compactMap(\.subnet))
        return graph.all(Subnet.self).filter { ids.contains($0.id) }
    }

    /// The compute placed in a subnet.
    public func computes(in subnet: ResourceID) -> [MachineLearningCompute] {
        graph.all(MachineLearningCompute.self).filter { $0.subnet == subnet }
    }
}
