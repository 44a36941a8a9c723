/// What Palisade reads from Resource Graph: every resource type the model converts, grouped into a few queries.
///
/// Table membership follows Microsoft's reference
/// (https://learn.microsoft.com/azure/governance/resource-graph/reference/supported-tables-resources):
/// the types below are in the `resources` table, role assignments in `authorizationresources`. Subnets, peerings,
/// security rules and routes are not separate rows: they arrive inside their parent's `properties`.
/// Child resources that the `resources` table lacks are read with ARM REST calls instead (see `ChildResourceRead`).
public struct ResourceGraphQuery: Sendable, Hashable {
    /// A short label for messages ("network", "role assignments").
    public var label: String
    /// The Kusto (KQL) text.
    public var text: String

    /// Creates a query.
    public init(label: String, text: String) {
        self.label = label
        self.text = text
    }

    /// Columns kept from `resources` rows: the ARM shape the export importer reads. `id` must stay in the
    /// projection, otherwise Resource Graph cannot page and marks the result truncated.
    /// https://learn.microsoft.com/azure/governance/resource-graph/concepts/paging-results
    public static let resourceColumns = "id, name, type, kind, location, resourceGroup, subscriptionId, tags, sku, identity, zones, properties"

    /// Type batches of the `resources` table, each one query.
    public static let resourceBatches: [(label: String, types: [String])] = [
        ("network", [
            "microsoft.network/virtualnetworks", "microsoft.network/networksecuritygroups",
            "microsoft.network/applicationsecuritygroups", "microsoft.network/routetables",
            "microsoft.network/publicipaddresses", "microsoft.network/networkinterfaces", "microsoft.network/bastionhosts",
            "microsoft.network/virtualnetworkgateways", "microsoft.network/natgateways",
        ]),
        ("firewalls and private link", [
            "microsoft.network/azurefirewalls", "microsoft.network/firewallpolicies", "microsoft.network/ipgroups",
            "microsoft.network/serviceendpointpolicies", "microsoft.network/privateendpoints",
            "microsoft.network/privatednszones", "microsoft.network/privatednszones/virtualnetworklinks",
        ]),
        ("platform", [
            "microsoft.network/loadbalancers", "microsoft.network/localnetworkgateways", "microsoft.network/connections",
            "microsoft.network/dnsresolvers", "microsoft.network/dnsforwardingrulesets",
            "microsoft.network/networkmanagers", "microsoft.network/virtualwans", "microsoft.network/virtualhubs",
        ]),
        ("workloads", [
            "microsoft.compute/virtualmachines", "microsoft.machinelearningservices/workspaces",
            "microsoft.storage/storageaccounts", "microsoft.keyvault/vaults", "microsoft.containerregistry/registries",
            "microsoft.cognitiveservices/accounts", "microsoft.insights/components",
            "microsoft.operationalinsights/workspaces", "microsoft.insights/privatelinkscopes",
            "microsoft.managedidentity/userassignedidentities",
        ]),
    ]

    /// Every query an audit runs, in order.
    public static let all: [ResourceGraphQuery] = resourceBatches.map { batch in
        let list = batch.types.map { "'\($0)'" }.joined(separator: ", ")
        return ResourceGraphQuery(label: batch.label,
                                  text: "resources | where type in~ (\(list)) | project \(resourceColumns) | order by id asc")
    } + [
        ResourceGraphQuery(label: "role assignments",
                           text: "authorizationresources | where type =~ 'microsoft.authorization/roleassignments' "
                               + "| project id, name, type, properties | order by id asc"),
    ]
}

/// A child resource list read with ARM REST for each parent of a type, because Resource Graph's `resources`
/// table does not hold it (checked against the table reference above):
/// - private DNS record sets: in the `dnsresources` table, not `resources`; read from
///   `{zone}/ALL` (https://learn.microsoft.com/rest/api/dns/privatednszones/recordsets/list), A and CNAME kept;
/// - firewall policy rule collection groups: in the `networkresources` table, not `resources`
///   (https://learn.microsoft.com/rest/api/firewall/firewall-policy-rule-collection-groups/list);
/// - private DNS zone groups of private endpoints: in no table
///   (https://learn.microsoft.com/rest/api/virtualnetwork/private-dns-zone-groups/list);
/// - Azure Machine Learning computes: in no table (https://learn.microsoft.com/rest/api/azureml/compute/list);
/// - Azure Monitor private link scoped resources: in no table
///   (https://learn.microsoft.com/rest/api/monitor/private-link-scoped-resources/list-by-private-link-scope).
/// - DNS resolver endpoints and forwarding ruleset rules and links: read from the parent
///   (https://learn.microsoft.com/rest/api/dns/dnsresolver/inbound-endpoints/list,
///   https://learn.microsoft.com/rest/api/dns/dnsresolver/forwarding-rules/list).
/// - Azure Virtual Network Manager children, level by level: network groups and their static members, security admin
///   configurations, their rule collections and rules, connectivity configurations
///   (https://learn.microsoft.com/rest/api/networkmanager/network-groups/list,
///   https://learn.microsoft.com/rest/api/networkmanager/static-members/list,
///   https://learn.microsoft.com/rest/api/networkmanager/security-admin-configurations/list,
///   https://learn.microsoft.com/rest/api/networkmanager/admin-rule-collections/list,
///   https://learn.microsoft.com/rest/api/networkmanager/admin-rules/list,
///   https://learn.microsoft.com/rest/api/networkmanager/connectivity-configurations/list). Which configurations are
///   deployed, and the security admin rules as committed, are read separately (`NetworkManagerDeployment`,
///   `ActiveSecurityAdminRules`).
/// - Virtual WAN hub children: hub virtual network connections, hub route tables and routing intent
///   (https://learn.microsoft.com/rest/api/virtualwan/hub-virtual-network-connections/list,
///   https://learn.microsoft.com/rest/api/virtualwan/hub-route-tables/list,
///   https://learn.microsoft.com/rest/api/virtualwan/routing-intent/list).
///
/// A read whose parent type is itself a child (rule collections of a configuration) runs once the level above it
/// has been read.
public struct ChildResourceRead: Sendable, Hashable {
    /// The parent type (lower case, as Resource Graph spells types).
    public var parentType: String
    /// The path below the parent ID.
    public var path: String
    /// The API version.
    public var apiVersion: String
    /// Child types kept (lower case); empty keeps every child.
    public var keep: Set<String>

    /// Every child read an audit performs.
    public static let all: [ChildResourceRead] = [
        ChildResourceRead(parentType: "microsoft.network/privatednszones", path: "ALL", apiVersion: "2020-06-01",
                          keep: ["microsoft.network/privatednszones/a", "microsoft.network/privatednszones/cname"]),
        ChildResourceRead(parentType: "microsoft.network/firewallpolicies", path: "ruleCollectionGroups", apiVersion: "2024-05-01", keep: []),
        ChildResourceRead(parentType: "microsoft.network/privateendpoints", path: "privateDnsZoneGroups", apiVersion: "2024-05-01", keep: []),
        ChildResourceRead(parentType: "microsoft.machinelearningservices/workspaces", path: "computes", apiVersion: "2024-10-01", keep: []),
        ChildResourceRead(parentType: "microsoft.insights/privatelinkscopes", path: "scopedResources", apiVersion: "2021-07-01-preview", keep: []),
        ChildResourceRead(parentType: "microsoft.network/dnsresolvers", path: "inboundEndpoints", apiVersion: "2022-07-01", keep: []),
        ChildResourceRead(parentType: "microsoft.network/dnsresolvers", path: "outboundEndpoints", apiVersion: "2022-07-01", keep: []),
        ChildResourceRead(parentType: "microsoft.network/dnsforwardingrulesets", path: "forwardingRules", apiVersion: "2022-07-01", keep: []),
        ChildResourceRead(parentType: "microsoft.network/dnsforwardingrulesets", path: "virtualNetworkLinks", apiVersion: "2022-07-01", keep: []),
        ChildResourceRead(parentType: "microsoft.network/networkmanagers", path: "networkGroups", apiVersion: networkAPI, keep: []),
        ChildResourceRead(parentType: "microsoft.network/networkmanagers/networkgroups", path: "staticMembers", apiVersion: networkAPI, keep: []),
        ChildResourceRead(parentType: "microsoft.network/networkmanagers", path: "securityAdminConfigurations", apiVersion: networkAPI, keep: []),
        ChildResourceRead(parentType: "microsoft.network/networkmanagers/securityadminconfigurations", path: "ruleCollections",
                          apiVersion: networkAPI, keep: []),
        ChildResourceRead(parentType: "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections", path: "rules",
                          apiVersion: networkAPI, keep: []),
        ChildResourceRead(parentType: "microsoft.network/networkmanagers", path: "connectivityConfigurations", apiVersion: networkAPI, keep: []),
        ChildResourceRead(parentType: "microsoft.network/virtualhubs", path: "hubVirtualNetworkConnections", apiVersion: networkAPI, keep: []),
        ChildResourceRead(parentType: "microsoft.network/virtualhubs", path: "hubRouteTables", apiVersion: networkAPI, keep: []),
        ChildResourceRead(parentType: "microsoft.network/virtualhubs", path: "routingIntent", apiVersion: networkAPI, keep: []),
    ]

    /// The Microsoft.Network API version of the Virtual Network Manager and Virtual WAN reads.
    public static let networkAPI = "2024-05-01"
}
