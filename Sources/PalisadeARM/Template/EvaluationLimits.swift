/// Bounds on template size and evaluation work. Azure's documented template limits come first
/// (https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#template-limits); the rest are
/// Palisade's own bounds on work, so a hostile template fails with a located error instead of hanging or exhausting memory.
public struct EvaluationLimits: Sendable, Hashable {
    /// Largest template or parameter file: Azure rejects anything over 4 MB.
    public var maxTemplateBytes = 4 * 1024 * 1024
    /// Most parameters one template declares (Azure: 256).
    public var maxParameters = 256
    /// Most variables one template declares (Azure: 512 on the current best-practices page).
    public var maxVariables = 512
    /// Most resources one deployment declares, copies included (Azure: 800).
    public var maxResources = 800
    /// Most outputs one template declares (Azure: 64).
    public var maxOutputs = 64
    /// Largest copy count (Azure: 800 for resources, properties, variables and outputs; never negative).
    /// https://learn.microsoft.com/azure/azure-resource-manager/templates/copy-resources#copy-limits
    public var maxCopyCount = 800
    /// Longest template expression (Azure: 24,576 characters).
    public var maxExpressionLength = 24_576
    /// Largest value one expression, variable or output may build, in bytes of compact JSON: a value larger than
    /// the 4 MB a whole template may hold cannot be deployed.
    public var maxValueBytes = 4 * 1024 * 1024
    /// Largest evaluated resource definition, in bytes of compact JSON (Azure: 1 MB per resource definition).
    public var maxResourceBytes = 1024 * 1024
    /// Deepest chain of nested deployments expanded (Palisade's bound).
    public var maxDeploymentDepth = 20
    /// Most resources expanded in the whole deployment, nested deployments included (Palisade's bound: nested
    /// deployments each allow 800, so copies of copies would otherwise multiply without end).
    public var maxTotalResources = 20_000
    /// Work units (function calls, the elements they produce and one unit per 16 bytes of text they build)
    /// before evaluation stops (Palisade's bound; a 10 MB template of 2,200 NSGs fits within it).
    public var maxEvaluationSteps = 2_000_000

    /// Azure's documented limits and Palisade's default work bounds.
    public init() {}
}

extension ARMValue {
    /// A lower bound on the compact-JSON size of the value in bytes, or nil once it exceeds `limit`; never walks
    /// much past `limit`, so shared sub-values repeated many times cost no more than the limit to measure.
    func jsonSize(limit: Int) -> Int? {
        var total = 0
        func walk(_ v: ARMValue) -> Bool {
            switch v {
            case .null, .bool: total += 4
            case .int, .double: total += 1
            case .string(let s): total += s.utf8.count + 2
            case .unknown(let s): total += s.utf8.count + 2
            case .secret: total += 8
            case .array(let a):
                total += 1 + a.count
                if total > limit { return false }
                for e in a where !walk(e) { return false }
            case .object(let o):
                total += 1 + o.count
                if total > limit { return false }
                for e in o.entries {
                    total += e.key.utf8.count + 3
                    if !walk(e.value) { return false }
                }
            }
            return total <= limit
        }
        return walk(self) ? total : nil
    }
}
