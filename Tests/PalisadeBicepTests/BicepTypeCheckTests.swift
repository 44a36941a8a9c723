import Foundation
import PalisadeARM
import PalisadeModel
import Testing
@testable import PalisadeBicep

/// Type errors the Bicep compiler rejects are compile errors here too (exit 2, file:line:column); values it accepts
/// still compile. https://learn.microsoft.com/azure/azure-resource-manager/bicep/data-types and
/// https://learn.microsoft.com/azure/azure-resource-manager/bicep/user-defined-data-types
@Suite struct BicepTypeCheckTests {
    static func error(_ text: String, files: [String: String] = [:]) -> Diagnostic? {
        let dir = BicepCompilerTests.directory(files.merging(["main.bicep": text]) { a, _ in a })
        return BicepCompiler.compile(file: dir + "/main.bicep").diagnostics.errors.first
    }

    @Test func parameterDefaultsMatchTheirTypes() throws {
        let wrong = try #require(Self.error("param count int = 'three'\n"))
        #expect(wrong.message.contains("parameter 'count'") && wrong.message.contains("int"))
        #expect(wrong.location?.line == 1 && wrong.location?.column == 19)
        #expect(Self.error("param flag bool = 'true'\n") != nil)
        #expect(Self.error("param names array = {}\n") != nil)
        #expect(Self.error("param names string[] = ['a', 1]\n") != nil)
        #expect(Self.error("param tier 'gold' | 'silver' = 'bronze'\n")?.message.contains("'gold'") == true)
        #expect(Self.error("type tier = 'gold' | 'silver'\nparam t tier = 'Gold'\n") != nil, "literal types are case-sensitive")
        // What the compiler accepts still compiles.
        for fine in ["param count int = -1\n", "param tags object? = null\n", "param tier 'gold' | 'silver'? = null\n",
                     "param names string[] = ['a', 'b']\n", "param any object = json('{}')\n", "param s string = '${1}'\n",
                     "type tier = 'gold' | 'silver'\nparam t tier = 'gold'\n", "param x int = length('abc')\n"] {
            #expect(Self.error(fine) == nil, "\(fine)")
        }
    }

    @Test func outputValuesMatchTheirTypes() throws {
        let wrong = try #require(Self.error("output port int = '443'\n"))
        #expect(wrong.message.contains("output 'port'"))
        #expect(wrong.location?.line == 1)
        #expect(Self.error("output ok bool = true\noutput id string = resourceGroup().id\n") == nil)
    }

    /// A sealed type rejects properties it does not declare; an unsealed one accepts them (a warning in Bicep).
    @Test func sealedTypesRejectUnknownProperties() throws {
        let sealed = """
        @sealed()
        type subnet = { name: string, prefix: string }
        param s subnet = { name: 'a', prefix: '10.0.0.0/24', prefx: 'typo' }
        """
        let error = try #require(Self.error(sealed))
        #expect(error.message.contains("'prefx'") && error.message.contains("sealed"))
        #expect(error.location?.line == 3)
        #expect(Self.error("type subnet = { name: string }\nparam s subnet = { name: 'a', extra: 1 }\n") == nil)
        #expect(Self.error("type subnet = { name: string, size: int }\nparam s subnet = { name: 'a', size: '24' }\n")?.message.contains("'size'") == true)
    }

    /// Literal values given to a module's typed parameters are checked against the module's declarations.
    @Test func moduleArgumentsMatchTheModuleTypes() throws {
        let module = "param count int\nparam sku 'Basic' | 'Standard' = 'Standard'\noutput c int = count\n"
        let wrong = try #require(Self.error("module m 'mod.bicep' = {\n  name: 'm'\n  params: { count: 'three' }\n}\n", files: ["mod.bicep": module]))
        #expect(wrong.message.contains("parameter 'count' of module 'm'"))
        #expect(wrong.location?.file.hasSuffix("main.bicep") == true && wrong.location?.line == 3)
        #expect(Self.error("module m 'mod.bicep' = {\n  name: 'm'\n  params: { count: 1, sku: 'Premium' }\n}\n", files: ["mod.bicep": module]) != nil)
        #expect(Self.error("module m 'mod.bicep' = {\n  name: 'm'\n  params: { count: 1, sku: 'Basic' }\n}\n", files: ["mod.bicep": module]) == nil)
    }

    /// Built-in functions called with the wrong number of arguments (https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions).
    @Test func functionArgumentCounts() throws {
        let wrong = try #require(Self.error("output x string = toLower('A', 'B')\n"))
        #expect(wrong.message.contains("toLower() takes 1 argument, not 2"))
        #expect(Self.error("output x string = substring('abc')\n")?.message.contains("2 to 3") == true)
        #expect(Self.error("output x string = uniqueString()\n")?.message.contains("at least 1") == true)
        #expect(Self.error("output x string = sys.replace('a', 'b')\n") != nil)
        #expect(Self.error("output x string = substring('abc', 1)\noutput y string = utcNow()\n") == nil)
        // A user-defined function of the same name is not the built-in.
        #expect(Self.error("func toLower(a string, b string) string => '${a}${b}'\noutput x string = toLower('A', 'B')\n") == nil)
    }

    /// A `.bicepparam` file's literal values are checked against the template's parameter types.
    @Test func parameterFileValuesMatchTheTemplate() throws {
        let dir = BicepCompilerTests.directory([
            "main.bicep": "param size int\nparam env 'dev' | 'prod'\noutput s int = size\n",
            "bad.bicepparam": "using 'main.bicep'\nparam env = 'dev'\nparam size = 'large'\n",
            "good.bicepparam": "using 'main.bicep'\nparam env = 'prod'\nparam size = 3\n",
        ])
        let bad = BicepExpander.expand(file: dir + "/bad.bicepparam")
        let error = try #require(bad.diagnostics.errors.first)
        #expect(error.message.contains("parameter 'size'") && error.location?.line == 3)
        #expect(error.location?.file.hasSuffix("bad.bicepparam") == true)
        let good = BicepExpander.expand(file: dir + "/good.bicepparam")
        #expect(!good.diagnostics.hasErrors, "\(good.diagnostics.errors)")
        #expect(good.outputs["s"] == .int(3))
    }
}
