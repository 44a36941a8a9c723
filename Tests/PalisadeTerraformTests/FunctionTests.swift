import Foundation
import Testing
@testable import PalisadeTerraform

/// Each built-in function against the example on its page, https://developer.hashicorp.com/terraform/language/functions/<name>.
@Suite struct FunctionTests {
    static let documented: [(String, HCLValue)] = [
        // IP network
        (#"cidrsubnet("172.16.0.0/12", 4, 2)"#, .string("172.18.0.0/16")),
        (#"cidrsubnet("10.1.2.0/24", 4, 15)"#, .string("10.1.2.240/28")),
        (#"cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)"#, strings("10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20")),
        (#"cidrhost("10.12.112.0/20", 16)"#, .string("10.12.112.16")),
        (#"cidrhost("10.12.112.0/20", 268)"#, .string("10.12.113.12")),
        (#"cidrnetmask("172.16.0.0/12")"#, .string("255.240.0.0")),
        // Strings
        (#"join("-", ["foo", "bar", "baz"])"#, .string("foo-bar-baz")),
        (#"split(",", "foo,bar,baz")"#, strings("foo", "bar", "baz")),
        (#"replace("1 + 2 + 3", "+", "-")"#, .string("1 - 2 - 3")),
        (#"replace("hello world", "/w.*d/", "everybody")"#, .string("hello everybody")),
        (#"lower("HELLO")"#, .string("hello")),
        (#"upper("hello")"#, .string("HELLO")),
        (#"title("hello world")"#, .string("Hello World")),
        (#"substr("hello world", 1, 4)"#, .string("ello")),
        (#"format("Hello, %s!", "Ander")"#, .string("Hello, Ander!")),
        (#"format("There are %d lights", 4)"#, .string("There are 4 lights")),
        (#"formatlist("Hello, %s!", ["Valentina", "Ander", "Olivia", "Sam"])"#,
         strings("Hello, Valentina!", "Hello, Ander!", "Hello, Olivia!", "Hello, Sam!")),
        (#"trimspace("  hello\n\n")"#, .string("hello")),
        (#"trimprefix("helloworld", "hello")"#, .string("world")),
        (#"trimsuffix("helloworld", "world")"#, .string("hello")),
        (#"trim("?!hello?!", "!?")"#, .string("hello")),
        (#"chomp("hello\n")"#, .string("hello")),
        (#"strrev("hello")"#, .string("olleh")),
        (#"startswith("hello world", "hello")"#, .bool(true)),
        (#"endswith("hello world", "world")"#, .bool(true)),
        (#"regex("[a-z]+", "53453453.345345aaabbbccc23454")"#, .string("aaabbbccc")),
        (#"regexall("[a-z]+", "1234abcd5678efgh9")"#, strings("abcd", "efgh")),
        // Collections
        (#"coalesce("a", "b")"#, .string("a")),
        (#"coalesce("", "b")"#, .string("b")),
        (#"coalesce(1, 2)"#, .number(1)),
        (#"coalescelist(["a", "b"], ["c", "d"])"#, strings("a", "b")),
        (#"coalescelist([], ["c", "d"])"#, strings("c", "d")),
        (#"lookup({a="ay", b="bee"}, "a", "what?")"#, .string("ay")),
        (#"lookup({a="ay", b="bee"}, "c", "what?")"#, .string("what?")),
        (#"merge({a="b", c="d"}, {e="f", c="z"})"#, .object(["a": .string("b"), "c": .string("z"), "e": .string("f")])),
        (#"flatten([["a", "b"], [], ["c"]])"#, strings("a", "b", "c")),
        (#"flatten([[["a", "b"], []], ["c"]])"#, strings("a", "b", "c")),
        (#"toset(["a", "b", "c", "b"])"#, strings("a", "b", "c")),
        (#"zipmap(["a", "b"], [1, 2])"#, .object(["a": .number(1), "b": .number(2)])),
        (#"length([])"#, .number(0)),
        (#"length(["a", "b"])"#, .number(2)),
        (#"length({"a" = "b"})"#, .number(1)),
        (#"length("hello")"#, .number(5)),
        (#"element(["a", "b", "c"], 1)"#, .string("b")),
        (#"element(["a", "b", "c"], 3)"#, .string("a")),
        (#"concat(["a", ""], ["b", "c"])"#, strings("a", "", "b", "c")),
        (#"contains(["a", "b", "c"], "a")"#, .bool(true)),
        (#"contains(["a", "b", "c"], "d")"#, .bool(false)),
        (#"distinct(["a", "b", "a", "c", "d", "b"])"#, strings("a", "b", "c", "d")),
        (#"keys({a=1, c=2, d=3})"#, strings("a", "c", "d")),
        (#"values({a=3, c=2, d=1})"#, .list([.number(3), .number(2), .number(1)])),
        (#"range(3)"#, .list([.number(0), .number(1), .number(2)])),
        (#"range(1, 4)"#, .list([.number(1), .number(2), .number(3)])),
        (#"range(1, 8, 2)"#, .list([.number(1), .number(3), .number(5), .number(7)])),
        (#"range(4, 1)"#, .list([.number(4), .number(3), .number(2)])),
        (#"compact(["a", "", "b", "c"])"#, strings("a", "b", "c")),
        (#"reverse([1, 2, 3])"#, .list([.number(3), .number(2), .number(1)])),
        (#"slice(["a", "b", "c", "d"], 1, 3)"#, strings("b", "c")),
        (#"sort(["e", "d", "a", "x"])"#, strings("a", "d", "e", "x")),
        (#"chunklist(["a", "b", "c", "d", "e"], 2)"#, .list([strings("a", "b"), strings("c", "d"), strings("e")])),
        (#"index(["a", "b", "c"], "b")"#, .number(1)),
        (#"one([])"#, .null),
        (#"one(["hello"])"#, .string("hello")),
        (#"alltrue(["true", true])"#, .bool(true)),
        (#"anytrue([true, false])"#, .bool(true)),
        (#"setintersection(["a", "b"], ["b", "c"], ["b", "d"])"#, strings("b")),
        (#"setsubtract(["a", "b", "c"], ["a", "c"])"#, strings("b")),
        (#"sum([10, 13, 6, 4.5])"#, .number(33.5)),
        // Numeric
        (#"max(12, 54, 3)"#, .number(54)),
        (#"min(12, 54, 3)"#, .number(3)),
        (#"abs(-12.4)"#, .number(12.4)),
        (#"ceil(5.1)"#, .number(6)),
        (#"floor(4.9)"#, .number(4)),
        (#"pow(3, 2)"#, .number(9)),
        (#"signum(-13)"#, .number(-1)),
        (#"parseint("100", 10)"#, .number(100)),
        (#"parseint("FF", 16)"#, .number(255)),
        // Encoding and type conversion
        (#"base64encode("Hello World")"#, .string("SGVsbG8gV29ybGQ=")),
        (#"base64decode("SGVsbG8gV29ybGQ=")"#, .string("Hello World")),
        (#"jsonencode({"hello"="world"})"#, .string(#"{"hello":"world"}"#)),
        (#"jsondecode("{\"hello\": \"world\"}")"#, .object(["hello": .string("world")])),
        (#"jsondecode("true")"#, .bool(true)),
        (#"urlencode("Hello World!")"#, .string("Hello+World%21")),
        (#"tonumber("1")"#, .number(1)),
        (#"tostring(1)"#, .string("1")),
        (#"tobool("true")"#, .bool(true)),
        (#"md5("hello world")"#, .string("5eb63bbbe01eeed093cb22bb8f5acdc3")),
        (#"sha1("hello world")"#, .string("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed")),
        (#"sha256("hello world")"#, .string("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")),
        // try and can
        (#"try(jsondecode("{"), "fallback")"#, .string("fallback")),
        (#"can(regex("^[a-z]+$", "abc"))"#, .bool(true)),
        (#"can(regex("^[a-z]+$", "ABC"))"#, .bool(false)),
    ]

    @Test(arguments: documented.indices)
    func documentedExample(_ index: Int) throws {
        let (text, expected) = Self.documented[index]
        #expect(try evaluate(text) == expected, "\(text)")
    }

    @Test func unknownFunctionIsAnErrorWithItsLocation() {
        #expect {
            _ = try evaluate("notafunction(1)")
        } throws: { error in
            guard let error = error as? EvalError else { return false }
            return error.message.contains("unknown function 'notafunction'") && error.position?.line == 1 && error.position?.column == 1
        }
    }

    @Test func operatorsConditionalsAndForExpressions() throws {
        #expect(try evaluate("1 + 2 * 3") == .number(7))
        #expect(try evaluate("(1 + 2) * 3") == .number(9))
        #expect(try evaluate(#"true && !false ? "yes" : "no""#) == .string("yes"))
        #expect(try evaluate("[for s in [\"a\", \"b\"] : upper(s)]") == strings("A", "B"))
        #expect(try evaluate("{for k, v in {a = 1, b = 2} : v => k if v > 1}") == .object(["2": .string("b")]))
        #expect(try evaluate("{for s in [\"a\", \"b\", \"a\"] : s => s...}") == .object(["a": strings("a", "a"), "b": strings("b")]))
        #expect(try evaluate("[{a = 1}, {a = 2}][*].a") == .list([.number(1), .number(2)]))
        #expect(try evaluate(#""%{ for x in ["a", "b"] }${x},%{ endfor }""#) == .string("a,b,"))
        #expect(try evaluate(#""%{ if 1 > 2 }yes%{ else }no%{ endif }""#) == .string("no"))
        #expect(try evaluate("<<-EOT\n    hello\n      world\n    EOT\n") == .string("hello\n  world\n"))
    }
}
