package tui

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

func TestTablesViewListsTablesAndEntities(t *testing.T) {
	t.Parallel()
	c := captureController()
	m := newTestModel(c)
	feed(m, scenario()...)

	press(m, "6")
	wantView(t, m, "Tables")
	wantCalls(t, c, "tables")
	wantScreen(t, m, "[6 Tables]", "TABLE", "ENTITIES", "Customers", "Invoices", "enter entities")
	for _, row := range []string{`Customers +2\n`, `Invoices +0\n`} {
		if !regexp.MustCompile(row).MatchString(m.View()) {
			t.Errorf("screen lacks a row matching %q:\n%s", row, m.View())
		}
	}

	press(m, "enter")
	wantCalls(t, c, "tables", "entities Customers 32")
	wantScreen(t, m, "First entities of Customers", "PARTITIONKEY", "ROWKEY", "TIMESTAMP", "PROPERTIES",
		`eu             ada`, `Name="Ada Lovelace" Orders=3`, `us             grace`, `Name="Grace Hopper" Vip=true`)

	press(m, "j")
	if tablesOf(m).ents.cursor != 1 {
		t.Fatalf("entity cursor %d, want 1", tablesOf(m).ents.cursor)
	}
	press(m, "esc")
	if tablesOf(m).ents.name != "" || tablesOf(m).ents.rows != nil {
		t.Fatalf("table %q still open with %d entities", tablesOf(m).ents.name, len(tablesOf(m).ents.rows))
	}

	press(m, "j", "enter")
	wantScreen(t, m, "First entities of Invoices", "no entities")
}

func TestTablesViewFiltersAndReportsErrors(t *testing.T) {
	t.Parallel()
	c := captureController()
	m := newTestModel(c)
	press(m, "6", "/", "i", "n", "v", "enter")
	screen := m.View()
	if strings.Contains(screen, "Customers") || !strings.Contains(screen, "Invoices") {
		t.Fatalf("filter inv shows:\n%s", screen)
	}

	failing := &fakeController{err: errors.New("tables need the embedded storage")}
	m = newTestModel(failing)
	press(m, "6")
	if !m.statusIsErr || m.status != "list tables: tables need the embedded storage" {
		t.Fatalf("status %q (error %v)", m.status, m.statusIsErr)
	}
	wantScreen(t, m, "no tables yet")
}

// The periodic reload of the Tables view reloads the open table too, and
// stops once another view is shown.
func TestTablesViewRefreshesWhileShown(t *testing.T) {
	t.Parallel()
	c := captureController()
	m := newTestModel(c)
	press(m, "6", "enter")
	c.tables[0].Entities = 3
	c.entities["Customers"] = append(c.entities["Customers"], Entity{PartitionKey: "us", RowKey: "linus"})
	_, tick := m.Update(queueTickMsg{})
	run(m, tick)
	wantScreen(t, m, "linus")
	if tablesOf(m).tables[0].Entities != 3 {
		t.Fatalf("tables %+v, want Customers at 3", tablesOf(m).tables)
	}
	press(m, "1")
	m.queueTicking = true
	if _, tick := m.Update(queueTickMsg{}); tick != nil || m.queueTicking {
		t.Fatal("the Functions view still reloads storage on a tick")
	}
}
