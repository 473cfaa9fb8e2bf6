package io.dutydesk.ui.fx;

import io.dutydesk.ui.alerts.AlertsView;
import io.dutydesk.ui.alerts.AlertsViewModel;
import io.dutydesk.ui.backups.BackupsView;
import io.dutydesk.ui.backups.BackupsViewModel;
import io.dutydesk.ui.metrics.MetricsView;
import io.dutydesk.ui.metrics.MetricsViewModel;
import io.dutydesk.ui.outbox.OutboxView;
import io.dutydesk.ui.outbox.OutboxViewModel;
import io.dutydesk.ui.slots.SlotsView;
import io.dutydesk.ui.slots.SlotsViewModel;
import javafx.fxml.FXML;
import javafx.scene.Node;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.w3c.dom.ProcessingInstruction;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every pane's static layout is an FXML file next to its view, the view its controller: the file is well-formed,
 * names only classes, properties and constants that exist (what Scene Builder and FXMLLoader need), each fx:id is
 * an {@code @FXML} field of the view of a type the element fits, and building the view injects every one of them.
 */
@ExtendWith(ApplicationExtension.class)
class PaneLayoutsTest {
    static final String FX = "http://javafx.com/fxml/1";
    static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-05T10:00:00Z"), ZoneOffset.UTC);

    /** The panes: their view's class and how the app builds it (nothing polls: no environment is selected). */
    static Map<Class<?>, Supplier<Object>> panes() {
        Map<Class<?>, Supplier<Object>> m = new LinkedHashMap<>();
        m.put(SlotsView.class, () -> new SlotsView(new SlotsViewModel(Runnable::run, SCHEDULER, CLOCK), Runnable::run));
        m.put(OutboxView.class, () -> new OutboxView(new OutboxViewModel(Runnable::run, SCHEDULER, CLOCK)));
        m.put(AlertsView.class, () -> new AlertsView(new AlertsViewModel(Runnable::run, SCHEDULER, CLOCK,
                h -> { throw new AssertionError("no environment in this test"); }, n -> { }), CLOCK, url -> { }));
        m.put(BackupsView.class, () -> new BackupsView(new BackupsViewModel(Runnable::run, SCHEDULER, CLOCK)));
        m.put(MetricsView.class, () -> new MetricsView(new MetricsViewModel(Runnable::run, CLOCK), Runnable::run));
        return m;
    }

    @AfterAll
    static void stop() {
        SCHEDULER.shutdownNow();
    }

    @Test
    void everyPaneHasItsFxmlBesideItsViewNamingTheViewAsController() throws Exception {
        for (Class<?> view : panes().keySet()) {
            String pane = view.getPackageName().substring(view.getPackageName().lastIndexOf('.') + 1);
            URL url = FxmlLayout.resource(view);
            assertTrue(url.getPath().endsWith("/io/dutydesk/ui/" + pane + "/" + view.getSimpleName() + ".fxml"), url.toString());
            assertEquals(view.getName(), parse(url).getDocumentElement().getAttributeNS(FX, "controller"), url.toString());
        }
    }

    @Test
    void theFilesNameOnlyClassesPropertiesAndConstantsThatExist() throws Exception {
        for (Class<?> view : panes().keySet()) {
            URL url = FxmlLayout.resource(view);
            Document doc = parse(url);
            Map<String, Class<?>> imports = imports(doc, url);
            List<String> problems = new ArrayList<>();
            check(doc.getDocumentElement(), null, imports, view, problems);
            assertTrue(problems.isEmpty(), url + ":\n" + String.join("\n", problems));
        }
    }

    @Test
    void buildingAViewInjectsEveryFxmlFieldOfIt() throws Exception {
        for (Map.Entry<Class<?>, Supplier<Object>> pane : panes().entrySet()) {
            Object view = WaitForAsyncUtils.asyncFx(pane.getValue()::get).get();
            List<Field> fields = fxmlFields(pane.getKey());
            assertTrue(fields.size() >= 10, pane.getKey() + " has its layout's nodes as @FXML fields: " + fields);
            for (Field f : fields) {
                f.setAccessible(true);
                assertNotNull(f.get(view), pane.getKey().getSimpleName() + "." + f.getName() + " is injected from the FXML");
            }
            Node root = (Node) pane.getKey().getMethod("root").invoke(view);
            assertTrue(root.getStyleClass().contains(pane.getKey().getSimpleName().replace("View", "").toLowerCase(Locale.ROOT) + "-pane"),
                    "the FXML's root is the pane's root: " + root.getStyleClass());
        }
    }

    @Test
    void theWarmUpLoadsOffTheFxThread() throws Exception {
        assertTrue(!javafx.application.Platform.isFxApplicationThread());
        var label = (javafx.scene.control.Label) CompletableFuture.supplyAsync(FxmlLayout::warmUp).get();
        assertEquals("warm", label.getText());
    }

    static Document parse(URL url) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        try (InputStream in = url.openStream()) {
            return f.newDocumentBuilder().parse(in); // throws on a file that is not well-formed XML
        }
    }

    /** {@code <?import a.b.C?>}: one class each (no wildcards: Scene Builder and readers see what is used). */
    static Map<String, Class<?>> imports(Document doc, URL url) throws Exception {
        Map<String, Class<?>> out = new HashMap<>();
        NodeList all = doc.getChildNodes();
        for (int i = 0; i < all.getLength(); i++) {
            if (all.item(i) instanceof ProcessingInstruction pi && pi.getTarget().equals("import")) {
                String name = pi.getData().trim();
                assertTrue(!name.endsWith(".*"), url + ": import one class, not " + name);
                Class<?> c = Class.forName(name, false, PaneLayoutsTest.class.getClassLoader());
                out.put(c.getSimpleName(), c);
            }
        }
        return out;
    }

    static List<Field> fxmlFields(Class<?> view) {
        List<Field> out = new ArrayList<>();
        for (Field f : view.getDeclaredFields()) {
            if (f.isAnnotationPresent(FXML.class)) {
                out.add(f);
            }
        }
        return out;
    }

    /** Checks element {@code e}: an instance of an imported class, or a property of {@code owner}'s class. */
    static void check(Element e, Class<?> owner, Map<String, Class<?>> imports, Class<?> view, List<String> problems) {
        String name = e.getLocalName();
        if (FX.equals(e.getNamespaceURI())) { // fx:define
            children(e, null, imports, view, problems);
            return;
        }
        if (Character.isLowerCase(name.charAt(0))) { // a property element: <top>, <columns>, <tooltip>…
            if (owner == null || !hasProperty(owner, name)) {
                problems.add("<" + name + ">: no property " + name + " of " + owner);
            }
            children(e, null, imports, view, problems);
            return;
        }
        Class<?> type = imports.get(name);
        if (type == null) {
            problems.add("<" + name + ">: not imported");
            return;
        }
        var attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            org.w3c.dom.Node a = attrs.item(i);
            String local = a.getLocalName() == null ? a.getNodeName() : a.getLocalName();
            if ("http://www.w3.org/2000/xmlns/".equals(a.getNamespaceURI()) || (a.getNamespaceURI() == null && a.getNodeName().startsWith("xmlns"))) {
                continue;
            }
            if (FX.equals(a.getNamespaceURI())) {
                switch (local) {
                    case "id" -> fxId(a.getNodeValue(), type, view, problems);
                    case "controller" -> { }
                    case "constant" -> {
                        try {
                            Field f = type.getField(a.getNodeValue());
                            if (!Modifier.isStatic(f.getModifiers())) {
                                problems.add(name + ": " + a.getNodeValue() + " is not static");
                            }
                        } catch (NoSuchFieldException x) {
                            problems.add(name + ": no constant " + a.getNodeValue());
                        }
                    }
                    default -> problems.add(name + ": fx:" + local + " unexpected");
                }
            } else if (local.contains(".")) { // a static property: HBox.hgrow
                Class<?> on = imports.get(local.substring(0, local.indexOf('.')));
                String prop = local.substring(local.indexOf('.') + 1);
                if (on == null || !hasStatic(on, "set" + Character.toUpperCase(prop.charAt(0)) + prop.substring(1))) {
                    problems.add(name + ": no static property " + local);
                }
            } else if (!hasProperty(type, local) && !hasNamedArg(type, local)) {
                problems.add(name + ": no property " + local);
            }
        }
        children(e, type, imports, view, problems);
    }

    static void children(Element e, Class<?> owner, Map<String, Class<?>> imports, Class<?> view, List<String> problems) {
        NodeList kids = e.getChildNodes();
        for (int i = 0; i < kids.getLength(); i++) {
            if (kids.item(i) instanceof Element k) {
                check(k, owner, imports, view, problems);
            }
        }
    }

    /** An fx:id names an {@code @FXML} field of the view that the element's class fits. */
    static void fxId(String id, Class<?> type, Class<?> view, List<String> problems) {
        try {
            Field f = view.getDeclaredField(id);
            if (!f.isAnnotationPresent(FXML.class)) {
                problems.add("fx:id " + id + ": field " + view.getSimpleName() + "." + id + " is not @FXML");
            } else if (!f.getType().isAssignableFrom(type)) {
                problems.add("fx:id " + id + ": a " + type.getSimpleName() + " does not fit " + f.getType().getSimpleName());
            }
        } catch (NoSuchFieldException x) {
            problems.add("fx:id " + id + ": no field in " + view.getSimpleName());
        }
    }

    static boolean hasProperty(Class<?> type, String name) {
        String cap = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        for (Method m : type.getMethods()) {
            if (m.getName().equals("set" + cap) && m.getParameterCount() == 1
                    || (m.getName().equals("get" + cap) || m.getName().equals("is" + cap)) && m.getParameterCount() == 0) {
                return true;
            }
        }
        return false;
    }

    /** An immutable class's attribute (Insets' top…): a constructor argument of that name. */
    static boolean hasNamedArg(Class<?> type, String name) {
        for (var c : type.getConstructors()) {
            for (var p : c.getParameters()) {
                javafx.beans.NamedArg arg = p.getAnnotation(javafx.beans.NamedArg.class);
                if (arg != null && arg.value().equals(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean hasStatic(Class<?> type, String setter) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(setter) && Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 2) {
                return true;
            }
        }
        return false;
    }
}
