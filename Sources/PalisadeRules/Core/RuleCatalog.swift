/// Every rule, sorted by ID. Hand-kept: add a new rule here (a test checks the order and uniqueness).
public enum RuleCatalog {
    /// The catalog.
    public static let all: [any Rule.Type] = [
        ComputeSubnetNetworkPoliciesRule.self,
        EgressBypassesFirewallRule.self,
        InternetExposureRule.self,
        PrivateNameResolutionRule.self,
        RegistryAdminUserRule.self,
        RequiredDestinationBlockedRule.self,
    ]

    /// The rule with this ID (case-insensitive).
    public static func rule(_ id: String) -> (any Rule.Type)? {
        all.first { $0.description.id.lowercased() == id.lowercased() }
    }
}
