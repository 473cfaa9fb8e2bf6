package io.dutydesk.bench;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;

/** The floor of the idle benchmark: a bare JavaFX window that stays open, doing nothing. Prints FLOOR-SHOWN once drawn. */
public final class IdleFloorApp extends Application {
    /** Not a JavaFX Application itself: a main in one would trip the launcher's module check. */
    public static final class Main {
        public static void main(String[] args) {
            Application.launch(IdleFloorApp.class, args);
        }
    }

    @Override
    public void start(Stage stage) {
        Scene scene = new Scene(new Label("floor"), 1280, 800);
        stage.setScene(scene);
        int[] pulses = {0};
        scene.addPostLayoutPulseListener(() -> {
            if (stage.isShowing() && pulses[0] < 2) {
                if (++pulses[0] == 2) {
                    System.out.println("FLOOR-SHOWN");
                    System.out.flush();
                } else {
                    Platform.requestNextPulse();
                }
            }
        });
        stage.show();
    }
}
