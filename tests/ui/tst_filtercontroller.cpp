// FilterController: one signal per change, coalescing of bursts, no signal
// for no-op changes, reset in one step.
#include "filtercontroller.h"

#include <QSignalSpy>
#include <QTest>

#include <limits>

using es::ui::FilterController;

class TestFilterController : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void oneSignalPerChange();
    void burstIsCoalesced();
    void separateChangesEmitSeparately();
    void noOpChangeDoesNotSchedule();
    void changeAndRevertEmitsNothing();
    void resetEmitsAtOnce();
    void resetWhenDefaultIsSilent();
    void flushEmitsPendingChange();
    void rangesAreNormalised();
    void setStateReplacesEverything();
};

void TestFilterController::oneSignalPerChange()
{
    FilterController c;
    QSignalSpy spy(&c, &FilterController::filterChanged);
    c.setPriceRange(100000, 500000);
    QVERIFY(c.isPending());
    QVERIFY(spy.wait(5000));
    QCOMPARE(spy.count(), 1);
    const auto state = spy.takeFirst().at(0).value<es::FilterState>();
    QCOMPARE(state.priceMin, 100000.0);
    QCOMPARE(state.priceMax, 500000.0);
    QCOMPARE(c.emittedState(), state);
    QVERIFY(!c.isPending());
}

void TestFilterController::burstIsCoalesced()
{
    FilterController c;
    QSignalSpy spy(&c, &FilterController::filterChanged);
    // A slider drag: many changes before the event loop runs.
    for (int i = 1; i <= 50; ++i)
        c.setPriceRange(1000.0 * i, 1e6);
    c.setAreaRange(30, 300);
    c.setHiddenDistricts({QStringLiteral("Lisboa")});
    c.setHiddenTypes({QStringLiteral("Land"), QStringLiteral("Garage")});
    QVERIFY(spy.wait(5000));
    QCOMPARE(spy.count(), 1);
    const auto state = spy.at(0).at(0).value<es::FilterState>();
    QCOMPARE(state.priceMin, 50000.0);
    QCOMPARE(state.areaMin, 30.0);
    QCOMPARE(state.areaMax, 300.0);
    QCOMPARE(state.hiddenDistricts, QSet<QString>{QStringLiteral("Lisboa")});
    QCOMPARE(state.hiddenTypes.size(), 2);
    QVERIFY(!c.isPending()); // nothing more is scheduled
}

void TestFilterController::separateChangesEmitSeparately()
{
    FilterController c;
    QSignalSpy spy(&c, &FilterController::filterChanged);
    c.setAreaRange(50, 100);
    QVERIFY(spy.wait(5000));
    c.setAreaRange(60, 100);
    QVERIFY(spy.wait(5000));
    QCOMPARE(spy.count(), 2);
    QCOMPARE(spy.at(1).at(0).value<es::FilterState>().areaMin, 60.0);
}

void TestFilterController::noOpChangeDoesNotSchedule()
{
    FilterController c;
    QSignalSpy spy(&c, &FilterController::filterChanged);
    c.setPriceRange(0, std::numeric_limits<double>::infinity()); // the default
    c.setHiddenDistricts({});
    QVERIFY(!c.isPending());
    c.setHiddenTypes({QStringLiteral("Land")});
    QVERIFY(spy.wait(5000));
    c.setHiddenTypes({QStringLiteral("Land")}); // same again
    QVERIFY(!c.isPending());
    QCOMPARE(spy.count(), 1);
}

void TestFilterController::changeAndRevertEmitsNothing()
{
    FilterController c;
    QSignalSpy spy(&c, &FilterController::filterChanged);
    c.setPriceRange(1000, 2000);
    c.setPriceRange(0, std::numeric_limits<double>::infinity());
    QVERIFY(c.isPending());
    QTRY_VERIFY(!c.isPending()); // the timer fires, finds nothing new
    QCOMPARE(spy.count(), 0);
}

void TestFilterController::resetEmitsAtOnce()
{
    FilterController c;
    QSignalSpy spy(&c, &FilterController::filterChanged);
    c.setPriceRange(1000, 2000);
    c.setHiddenDistricts({QStringLiteral("Porto")});
    QVERIFY(spy.wait(5000));
    spy.clear();
    c.setAreaRange(10, 20); // pending when reset comes
    c.reset();
    QCOMPARE(spy.count(), 1); // synchronously, no timer
    QVERIFY(spy.at(0).at(0).value<es::FilterState>().isDefault());
    QVERIFY(c.state().isDefault());
    QVERIFY(!c.isPending());
}

void TestFilterController::resetWhenDefaultIsSilent()
{
    FilterController c;
    QSignalSpy spy(&c, &FilterController::filterChanged);
    c.reset();
    QCOMPARE(spy.count(), 0);
}

void TestFilterController::flushEmitsPendingChange()
{
    FilterController c;
    QSignalSpy spy(&c, &FilterController::filterChanged);
    c.setHiddenTypes({QStringLiteral("Garage")});
    c.flush();
    QCOMPARE(spy.count(), 1);
    QVERIFY(!c.isPending());
}

void TestFilterController::rangesAreNormalised()
{
    FilterController c;
    c.setPriceRange(500000, 100000); // swapped
    QCOMPARE(c.state().priceMin, 100000.0);
    QCOMPARE(c.state().priceMax, 500000.0);
    c.setAreaRange(-5, std::nan(""));
    QCOMPARE(c.state().areaMin, 0.0);
    QCOMPARE(c.state().areaMax, std::numeric_limits<double>::infinity());
}

void TestFilterController::setStateReplacesEverything()
{
    FilterController c;
    QSignalSpy spy(&c, &FilterController::filterChanged);
    es::FilterState s;
    s.priceMin = 75000;
    s.areaMax = 250;
    s.hiddenDistricts = {QStringLiteral("Beja"), QStringLiteral("Faro")};
    c.setState(s);
    QVERIFY(spy.wait(5000));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(c.emittedState(), s);
}

QTEST_MAIN(TestFilterController)
#include "tst_filtercontroller.moc"
