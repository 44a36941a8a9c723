import PalisadeModel

/// A value in an ARM/Bicep template: literals plus the few expressions Palisade needs. The ARM renderer prints
/// it as JSON with `[…]` expressions; the Bicep renderer prints the same tree as Bicep, so both stay equivalent.
indirect enum TemplateValue: Sendable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case array([TemplateValue])
    /// Members in output order.
    case object([(String, TemplateValue)])
    /// A template parameter.
    case parameter(String)
    /// The name of a resource in the template (a variable built from `name`).
    case nameOf(ResourceID)
    /// The resource ID of a resource in the template.
    case idOf(ResourceID)
    /// The resource ID of a template resource without a dependency on it (Bicep writes `resourceId(...)`, not
    /// `symbol.id`): used where a dependency would be a cycle, e.g. the storage account's rule naming the workspace.
    case unlinkedIDOf(ResourceID)
    /// The principal ID of a resource's managed identity.
    case principalOf(ResourceID)
    /// A runtime property of a deployed resource (`reference(...).path`), e.g. a firewall's private IP.
    case property(ResourceID, path: String)
    /// `cidrSubnet(addressSpace, length, index)`.
    case cidrSubnet(length: Int, index: Int)
    /// A built-in function call written identically in ARM and Bicep, e.g. `subscription().tenantId`.
    case function(String)
    /// String concatenation of parts.
    case concat([TemplateValue])
    /// A template variable (ARM `variables('x')`, Bicep `x`).
    case variable(String)
    /// A function that ARM and Bicep both spell `name(arguments…)`, e.g. `guid`, `union`, `take`, `uniqueString`.
    case call(String, [TemplateValue])
    /// `then` when the two values are equal, else `else` (ARM `if(equals(…))`, Bicep `… == … ? … : …`).
    case ifEquals(TemplateValue, TemplateValue, then: TemplateValue, else: TemplateValue)
    /// An object whose keys are resource IDs, each mapping to `{}` (ARM `userAssignedIdentities`).
    case identityMap([ResourceID])
}

/// One resource of the template.
struct TemplateResource: Sendable {
    /// The graph resource it comes from (for names and references).
    var id: ResourceID
    /// ARM type, e.g. `Microsoft.Network/virtualNetworks`.
    var type: String
    /// API version.
    var apiVersion: String
    /// The parent for child resources (subnets are inline; DNS links, zone groups, secrets, computes are children).
    var parent: ResourceID?
    /// The resource's own name (for children: the last segment only).
    var name: TemplateValue
    /// Extension scope (diagnostic settings, role assignments).
    var scope: ResourceID?
    /// Top-level members other than name/type/apiVersion/dependsOn, in output order (location, tags, sku, kind,
    /// identity, properties).
    var members: [(String, TemplateValue)]
    /// Explicit dependencies (ARM `dependsOn`); Bicep infers most but prints them too.
    var dependsOn: [ResourceID]
    /// Checkov checks suppressed on this resource, with the justification.
    var skips: [(id: String, comment: String)] = []
    /// A symbolic name for Bicep.
    var symbol: String
    /// An existing resource the template builds into (an existing spoke VNet): named for its children, never
    /// deployed (ARM leaves it out; Bicep declares it `existing`).
    var existing = false
}
