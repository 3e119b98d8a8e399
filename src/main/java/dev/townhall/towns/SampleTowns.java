package dev.townhall.towns;

import org.jdbi.v3.core.Handle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The demo's people and a handful of rows per town, written through the application role under each person's
 * town context (so RLS accepts them). Safe to run again: people who exist are kept, rows are added once.
 */
public final class SampleTowns {
    /** A demo person: handle, email, home town, role there. */
    public record Person(String handle, String email, String firstName, String town, Role role) {
        public String actor() {
            return handle + "@" + town;
        }
    }

    public static final List<Person> PEOPLE = List.of(
            new Person("allan", "allan@testpilot.example", "Allan", "aurora", Role.OWNER),
            new Person("kristina", "kristina@testpilot.example", "Kristina", "fluenti", Role.ADMIN),
            new Person("vera", "vera@testpilot.example", "Vera", "fluenti", Role.VIEWER),
            new Person("andre", "andre@testpilot.example", "Andre", "collaboration", Role.MEMBER));

    private static final Map<String, List<String>> COMPANIES = Map.of(
            "aurora", List.of("Aurora Labs", "Capital Ventures"),
            "fluenti", List.of("Fluenti US Inc", "Lingua Partners", "Polyglot Health"),
            "collaboration", List.of("Sandbox Studio"));

    private SampleTowns() {
    }

    /** Creates the people and their memberships and writes the sample rows; returns handle → user id. */
    public static Map<String, UUID> ensure(Towns towns) {
        Map<String, UUID> ids = new LinkedHashMap<>();
        for (Person p : PEOPLE) {
            UUID id;
            try {
                id = towns.userId(p.handle());
            } catch (dev.townhall.TownHallException notThere) {
                id = towns.addUser(p.email(), p.handle(), p.firstName(), null);
            }
            towns.addMember(p.handle(), p.town(), p.role());
            ids.put(p.handle(), id);
        }
        for (Person p : PEOPLE) {
            if (p.role().canWrite()) {
                towns.as(p.actor()).inTransaction(h -> {
                    writeSampleRows(h, p);
                    return null;
                });
            }
        }
        return ids;
    }

    private static void writeSampleRows(Handle h, Person p) {
        boolean alreadyThere = h.createQuery("SELECT count(*) FROM crm.companies WHERE town_id = core.acting_town_id()"
                        + " AND name = ANY(:names)")
                .bind("names", COMPANIES.get(p.town()).toArray(new String[0])).mapTo(Long.class).one() > 0;
        if (alreadyThere) {
            return;
        }
        for (String company : COMPANIES.get(p.town())) {
            UUID companyId = h.createQuery("INSERT INTO crm.companies (name) VALUES (:name) RETURNING id")
                    .bind("name", company).mapTo(UUID.class).one();
            h.createUpdate("INSERT INTO crm.contacts (first_name, last_name, company_id) VALUES ('Sam', :last, :company)")
                    .bind("last", company.split(" ")[0]).bind("company", companyId).execute();
        }
        h.createUpdate("INSERT INTO work.tasks (title, status) VALUES (:title, 'todo')")
                .bind("title", "Follow up the " + p.town() + " pipeline").execute();
        // each town also publishes one knowledge entry to the whole organisation
        h.createUpdate("""
                        INSERT INTO memory.knowledge_base (title, content, visibility)
                        VALUES (:title, :content, 'shared')""")
                .bind("title", "How " + p.town() + " works")
                .bind("content", "Shared by " + p.handle() + ": the playbook of " + p.town() + ".").execute();
    }
}
