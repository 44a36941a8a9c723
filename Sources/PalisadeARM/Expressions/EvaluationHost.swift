/// An expression evaluation failure; `offset` is the 0-based position inside the expression when known.
public struct ARMEvalError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    /// A stable diagnostic code such as `arm.unknown-function`.
    public var code: String
    /// 0-based offset in the expression text of the failing call, if known.
    public var offset: Int?
    /// How to fix it, if known.
    public var fix: String?

    /// Creates an error.
    public init(_ message: String, code: String = "arm.expression", offset: Int? = nil, fix: String? = nil) {
        self.message = message
        self.code = code
        self.offset = offset
        self.fix = fix
    }

    /// The message.
    public var description: String { message }
}

/// The deployment a template is evaluated for; defaults are documented fake-but-valid values so output is stable.
public struct DeploymentContext: Sendable, Hashable {
    /// Subscription GUID (`subscription().subscriptionId`).
    public var subscriptionID = "00000000-0000-0000-0000-000000000000"
    /// Subscription display name.
    public var subscriptionName = "palisade-subscription"
    /// Tenant GUID.
    public var tenantID = "00000000-0000-0000-0000-000000000001"
    /// Resource group name (`resourceGroup().name`).
    public var resourceGroup = "palisade-rg"
    /// Resource group location (`resourceGroup().location`).
    public var location = "eastus"
    /// Deployment name (`deployment().name`).
    public var deploymentName = "palisade-deployment"
    /// The fixed instant `utcNow()` returns, ISO 8601 UTC.
    public var utcNow = "2024-01-01T00:00:00Z"
    /// The cloud whose `environment()` values are returned (only `AzureCloud` is built in).
    public var cloud = "AzureCloud"

    /// The documented defaults.
    public init() {}

    /// Whether `text` is an ISO 8601 date-time a deployment could run at (`2026-01-31T12:00:00Z`, years 1–9999,
    /// every field in range: `2026-13-45T99:99:99Z` is rejected rather than rolled over into another date).
    public static func isValidUTCNow(_ text: String) -> Bool {
        !text.contains("/") && ARMDateTime.parse(text) != nil
    }

    /// `/subscriptions/<id>`.
    public var subscriptionResourceID: String { "/subscriptions/\(subscriptionID)" }
    /// `/subscriptions/<id>/resourceGroups/<name>`.
    public var resourceGroupID: String { "\(subscriptionResourceID)/resourceGroups/\(resourceGroup)" }
}

/// What an expression can ask of the template it sits in.
protocol EvaluationHost: AnyObject {
    var deployment: DeploymentContext { get }
    func parameter(_ name: String) throws -> ARMValue
    func variable(_ name: String) throws -> ARMValue
    func copyIndex(_ loop: String?) throws -> Int64
    func reference(_ target: ARMValue, full: Bool) throws -> ARMValue
    func userFunction(_ name: String, _ args: [ARMValue]) throws -> ARMValue?
    func deploymentObject() -> ARMValue
    /// A deterministic stand-in for `newGuid()`: distinct per call, identical across runs.
    func nextNewGuid() -> String
    /// The size and work bounds in force.
    var limits: EvaluationLimits { get }
    /// Charges `units` of work against the expansion's budget; throws when hostile input would run too long.
    func spend(_ units: Int) throws
}
