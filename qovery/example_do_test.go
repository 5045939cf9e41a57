package qovery_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"

	"github.com/qoverykit/qovery-go/qovery"
	"github.com/qoverykit/qovery-go/qovery/qoverytest"
)

// Reach an operation this package has no method for: attach a service to
// a deployment stage. The fake serves it with Handle, as a test would.
func ExampleClient_Do() {
	srv, err := qoverytest.Start() // a fake Qovery API; qovery.NewFromEnv() for the real one
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	srv.Handle("PUT", "/deploymentStage/{stageId}/service/{serviceId}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"id":       r.PathValue("stageId"),
			"name":     "databases first",
			"services": []map[string]string{{"service_id": r.PathValue("serviceId")}},
		})
	})
	c := srv.Client()
	ctx := context.Background()

	stageID, databaseID := "4f0a5e1c-2b3d-4c5e-8f70-112233445566", srv.World.DatabaseID
	var stage struct {
		Name     string `json:"name"`
		Services []struct {
			ServiceID string `json:"service_id"`
		} `json:"services"`
	}
	path := "/deploymentStage/" + qovery.PathEscape(stageID) + "/service/" + qovery.PathEscape(databaseID)
	if err := c.Do(ctx, http.MethodPut, path, nil, &stage); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(stage.Name, stage.Services[0].ServiceID == databaseID)

	// Errors are the ones service methods return.
	err = c.Do(ctx, http.MethodGet, "/deploymentStage/"+stageID, nil, nil)
	fmt.Println(qovery.IsNotFound(err))
	// Output:
	// databases first true
	// true
}
