import Reports
import Testing

/// Numbers as people read them in summaries and reports.
@Suite struct NumberTextTests {
    /// Shares as percentages, by hand: tenths from 10%, hundredths below, two significant
    /// figures under 0.01%, and a share that rounds to a whole percent written as one, so a
    /// column shows "100%" for a link full to the last bit and for one full to a millionth.
    @Test func sharesReadAsPercentages() {
        #expect(NumberText.percent(0.9949) == "99.5%")
        #expect(NumberText.percent(0.0035) == "0.35%")
        #expect(NumberText.percent(0.000012) == "0.0012%")
        #expect(NumberText.percent(0) == "0%")
        #expect(NumberText.percent(1) == "100%")
        #expect(NumberText.percent(0.999999) == "100%")
        #expect(NumberText.percent(0.1204) == "12%")
        #expect(NumberText.percent(0.1234) == "12.3%")
        #expect(NumberText.percent(0.05001) == "5%")
        #expect(NumberText.percent(-0.25001) == "-25%")
        #expect(NumberText.percent(.nan) == "-")
    }
}
